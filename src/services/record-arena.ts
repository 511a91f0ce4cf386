/**
 * The in-process mirror's records, off the JavaScript heap: each record's UTF-8 bytes in large
 * slabs, found by id. 100,000 records as strings cost their bytes twice over in RSS (V8 lets the
 * heap grow to about twice what is live between full collections); in slabs they cost their bytes
 * once, and the heap keeps only the id → position map. A replaced or removed record leaves a hole;
 * past a quarter of holes the slabs are rewritten.
 *
 * Each record carries a number beside it (the mirror's wait score), read without decoding the record.
 */

/** Bytes per slab (2^20): a position (slab × SLAB + offset) stays a small integer up to 1,024 slabs. */
const SLAB = 1 << 20;
/** Before each record: its byte length (u32) and its number (f64). */
const HEADER = 12;

export class RecordArena {
  private slabs: Buffer[] = [];
  /** Bytes written in the last slab. */
  private used = SLAB;
  private readonly where = new Map<number, number>();
  private liveBytes = 0;
  private holeBytes = 0;

  get size(): number {
    return this.where.size;
  }

  has(id: number): boolean {
    return this.where.has(id);
  }

  get(id: number): string | undefined {
    const at = this.where.get(id);
    if (at === undefined) return undefined;
    const slab = this.slabs[Math.floor(at / SLAB)] as Buffer;
    const offset = at % SLAB;
    return slab.toString("utf8", offset + HEADER, offset + HEADER + slab.readUInt32LE(offset));
  }

  /** The number stored beside the record. */
  number(id: number): number | undefined {
    const at = this.where.get(id);
    if (at === undefined) return undefined;
    return (this.slabs[Math.floor(at / SLAB)] as Buffer).readDoubleLE((at % SLAB) + 4);
  }

  set(id: number, record: string, number: number): void {
    this.delete(id);
    const length = Buffer.byteLength(record, "utf8");
    const size = HEADER + length;
    if (size > SLAB) throw new Error(`record of ${length} bytes is larger than a slab`);
    if (this.used + size > SLAB) {
      this.slabs.push(Buffer.allocUnsafe(SLAB));
      this.used = 0;
    }
    const slab = this.slabs.at(-1) as Buffer;
    slab.writeUInt32LE(length, this.used);
    slab.writeDoubleLE(number, this.used + 4);
    slab.write(record, this.used + HEADER, length, "utf8");
    this.where.set(id, (this.slabs.length - 1) * SLAB + this.used);
    this.used += size;
    this.liveBytes += size;
  }

  delete(id: number): boolean {
    const at = this.where.get(id);
    if (at === undefined) return false;
    const size = HEADER + (this.slabs[Math.floor(at / SLAB)] as Buffer).readUInt32LE(at % SLAB);
    this.where.delete(id);
    this.liveBytes -= size;
    this.holeBytes += size;
    if (this.holeBytes > SLAB && this.holeBytes * 3 > this.liveBytes) this.compact();
    return true;
  }

  keys(): IterableIterator<number> {
    return this.where.keys();
  }

  /** Rewrites the live records into fresh slabs, in id-map order. */
  private compact(): void {
    const old = this.slabs;
    this.slabs = [];
    this.used = SLAB;
    for (const [id, at] of this.where) {
      const slab = old[Math.floor(at / SLAB)] as Buffer;
      const offset = at % SLAB;
      const size = HEADER + slab.readUInt32LE(offset);
      if (this.used + size > SLAB) {
        this.slabs.push(Buffer.allocUnsafe(SLAB));
        this.used = 0;
      }
      slab.copy(this.slabs.at(-1) as Buffer, this.used, offset, offset + size);
      this.where.set(id, (this.slabs.length - 1) * SLAB + this.used);
      this.used += size;
    }
    this.holeBytes = 0;
  }
}
