/**
 * The messages of a large seeded queue, made on first read. Seeding 100,000 open chats with their
 * conversations stored costs seconds and gigabytes; the chats alone are cheap. Each seeded chat's
 * conversation is planned from its own random stream, so it can be planned again whenever it is
 * first needed, and the chat's fields (lastMessageAt, lastCustomerMessageAt, agents, unread…)
 * were replayed from that very conversation at seeding time: every route stays consistent.
 *
 * It is a Map like the eager seeder's: `get`/`has` make a seeded chat's messages the first time
 * they are asked for, after which they are ordinary stored data (writes append to them, tests may
 * mutate them). `set` and `delete` settle a chat for good. Iterating (or `size`) makes every
 * seeded conversation first, so a test that walks all messages sees them all — slowly at scale.
 */
import type { StoredMessage } from "./state.js";

/** Where seeded conversations come from: chats are numbered 0…count-1 by `position`. */
export interface ConversationSource {
  count: number;
  /** The seeded chat's number, or -1 when the id is not a seeded chat (e.g. one created later). */
  position(chatId: number): number;
  chatId(position: number): number;
  /** The chat's seeded messages, oldest first (empty for a chat that never had any). */
  messagesAt(position: number): StoredMessage[];
}

export class LazyMessages extends Map<number, StoredMessage[]> {
  /** 1 once a seeded chat's messages were made, set or deleted: the source is not asked again. */
  private readonly settled: Uint8Array;

  constructor(private readonly source: ConversationSource) {
    super();
    this.settled = new Uint8Array(source.count);
  }

  override get(chatId: number): StoredMessage[] | undefined {
    this.conjure(chatId);
    return super.get(chatId);
  }

  override has(chatId: number): boolean {
    this.conjure(chatId);
    return super.has(chatId);
  }

  override set(chatId: number, messages: StoredMessage[]): this {
    this.settle(chatId);
    return super.set(chatId, messages);
  }

  override delete(chatId: number): boolean {
    this.settle(chatId);
    return super.delete(chatId);
  }

  override clear(): void {
    this.settled.fill(1);
    super.clear();
  }

  override get size(): number {
    this.conjureAll();
    return super.size;
  }

  override entries(): MapIterator<[number, StoredMessage[]]> {
    this.conjureAll();
    return super.entries();
  }

  override keys(): MapIterator<number> {
    this.conjureAll();
    return super.keys();
  }

  override values(): MapIterator<StoredMessage[]> {
    this.conjureAll();
    return super.values();
  }

  override forEach(callback: (value: StoredMessage[], key: number, map: Map<number, StoredMessage[]>) => void, thisArg?: unknown): void {
    this.conjureAll();
    super.forEach(callback, thisArg);
  }

  override [Symbol.iterator](): MapIterator<[number, StoredMessage[]]> {
    return this.entries();
  }

  /** Marks a seeded chat as decided without making its messages. */
  private settle(chatId: number): void {
    const position = this.source.position(chatId);
    if (position >= 0) this.settled[position] = 1;
  }

  /** A chat without messages gets no entry, as in the eager seeder (where only addMessage makes one). */
  private conjure(chatId: number): void {
    const position = this.source.position(chatId);
    if (position < 0 || this.settled[position] === 1) return;
    this.settled[position] = 1;
    const messages = this.source.messagesAt(position);
    if (messages.length > 0) super.set(chatId, messages);
  }

  private conjureAll(): void {
    for (let position = 0; position < this.source.count; position++)
      if (this.settled[position] !== 1) this.conjure(this.source.chatId(position));
  }
}
