import type { Duplex } from 'node:stream';
import type { Readable, Writable } from 'node:stream';

/**
 * Copies bytes both ways until the connection is over: what ssh writes to us goes to the instance, what the
 * instance sends goes back to ssh. Each side's end is passed on as a half-close, like `nc` or `ssh -W`; it
 * resolves once the instance's side has closed (and rejects if the connection broke).
 */
export function relay(socket: Duplex, input: Readable, output: Writable): Promise<void> {
  return new Promise((resolve, reject) => {
    input.pipe(socket);
    socket.pipe(output);
    let failure: Error | undefined;
    socket.on('error', (err) => {
      failure = err;
    });
    socket.once('close', () => {
      input.unpipe(socket);
      // Stop reading from ssh so that nothing keeps this process alive once the connection is gone.
      input.destroy();
      if (failure) reject(failure);
      else resolve();
    });
  });
}
