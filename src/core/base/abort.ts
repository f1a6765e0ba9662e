/** What an aborted wait rejects with: named like the SDK's own, so every layer recognizes a cancellation alike. */
export function abortError(): Error {
  return Object.assign(new Error('Cancelled.'), { name: 'AbortError' });
}

/**
 * `promise`, or a rejection with abortError() as soon as `signal` aborts, whichever comes first. The work
 * behind the promise goes on: for work shared by several callers, where one of them giving up must not
 * cancel it for the others.
 */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.reject(abortError());
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(abortError());
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (err: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(err);
      },
    );
  });
}

/** Whether a thrown value is a cancellation (the SDK's, fetch's, or abortError()). */
export function isAbortError(err: unknown): boolean {
  return (err as { name?: string } | undefined)?.name === 'AbortError';
}
