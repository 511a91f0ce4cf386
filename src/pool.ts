/**
 * The one worker pool: `task` runs over `items` in order, at most `concurrency` at a time. Once
 * `stop()` says so no further item starts (those running finish); the items never started are
 * returned, so a caller can report them.
 */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  task: (item: T, index: number) => Promise<void>,
  stop: () => boolean = () => false,
): Promise<T[]> {
  let next = 0;
  const worker = async () => {
    while (next < items.length && !stop()) {
      const index = next++;
      await task(items[index] as T, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  return items.slice(next);
}
