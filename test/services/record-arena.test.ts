/**
 * The off-heap record store under churn: random sets, replacements and deletes (enough to compact
 * the slabs many times) leave exactly what a Map given the same operations holds, numbers included.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RecordArena } from "../../src/services/record-arena.js";

describe("RecordArena", () => {
  it("holds what a Map holds through replacements, deletes and compactions", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 2 ** 31 - 1 }), (seed) => {
        let state = seed;
        const random = () => {
          state = (state * 1_103_515_245 + 12_345) % 2 ** 31;
          return state / 2 ** 31;
        };
        const arena = new RecordArena();
        const model = new Map<number, { record: string; number: number }>();
        for (let i = 0; i < 20_000; i++) {
          const id = Math.floor(random() * 2_000);
          if (random() < 0.3) {
            expect(arena.delete(id)).toBe(model.delete(id));
            continue;
          }
          // Multi-byte text too: lengths are bytes, not characters.
          const record = `[${i},${id},"${"é€x".repeat(Math.floor(random() * 200))}"]`;
          const number = random() < 0.1 ? Number.MAX_SAFE_INTEGER : Math.floor(random() * 2e12);
          arena.set(id, record, number);
          model.set(id, { record, number });
        }
        expect(arena.size).toBe(model.size);
        for (const [id, { record, number }] of model) {
          expect(arena.get(id)).toBe(record);
          expect(arena.number(id)).toBe(number);
        }
        expect([...arena.keys()].sort((a, b) => a - b)).toEqual([...model.keys()].sort((a, b) => a - b));
      }),
      { numRuns: 5 },
    );
  });
});
