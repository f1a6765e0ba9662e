import { isAbortError } from './abort';

/**
 * Runs `work` with a signal that aborts when `signal` does or when `seconds` have passed; past the deadline it
 * rejects with `late()` (the stage's own words), whatever the aborted work threw. A stage of a connection
 * (credentials, the key push, the shell) gets its own deadline this way, so that a slow one is named as such.
 */
export async function withDeadline<T>(seconds: number, late: () => Error, work: (signal: AbortSignal) => Promise<T>, signal?: AbortSignal): Promise<T> {
  const controller = new AbortController();
  const onAbort = () => controller.abort();
  signal?.addEventListener('abort', onAbort, { once: true });
  if (signal?.aborted) controller.abort();
  let expired = false;
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      expired = true;
      controller.abort();
      reject(late());
    }, seconds * 1000);
  });
  deadline.catch(() => {});
  try {
    return await Promise.race([work(controller.signal), deadline]);
  } catch (err) {
    if (expired && (isAbortError(err) || err === undefined)) throw late();
    throw err;
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}
