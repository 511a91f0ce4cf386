/**
 * V8's `--optimize-for-size`, turned on once this process holds a large mirror. With it V8 collects
 * garbage sooner rather than growing the heap to about twice what is live: a 100,000-chat mirror
 * settles at about 115 MB RSS instead of 155–185 MB (bench section 8; the goal is at most 120 MB at 100,000 chats).
 * It also costs CPU on every request (less inlining, more collections): a triage_queue answer from a
 * 200-chat mirror took 2.1 ms with it and 1.2 ms without (bench section 9). So a small queue runs
 * fast and a large one runs lean. V8 reads the flag at each collection, so it takes effect when set,
 * not only at start-up.
 */
import { setFlagsFromString } from "node:v8";

/** Open chats held in this process past which memory is preferred over speed. */
export const LARGE_MIRROR = 10_000;

let lean = false;

/** Prefers memory over speed from now on (idempotent). */
export function preferMemory(): void {
  if (lean) return;
  lean = true;
  setFlagsFromString("--optimize-for-size");
}

/** Whether preferMemory has run in this process. */
export const prefersMemory = (): boolean => lean;
