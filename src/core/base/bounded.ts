/**
 * Runs `task` for every item with at most `limit` running at once, in item order, and resolves when
 * all have settled. A task's failure is its own business (tasks report through callbacks), so one
 * failing item never stops the others. Items not yet started are skipped once `signal` aborts.
 */
export async function forEachBounded<T>(
  items: readonly T[],
  limit: number,
  task: (item: T) => Promise<void>,
  signal?: AbortSignal,
): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length && !signal?.aborted) {
      const item = items[next++];
      try {
        await task(item);
      } catch {
        // Reported by the task itself; a worker keeps going with the next item.
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}
