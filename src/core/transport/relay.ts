import { connect, type Socket } from 'node:net';
import type { Readable, Writable } from 'node:stream';

/** A TCP connection to the instance's SSH port; rejects with the socket's error (ETIMEDOUT after `timeoutMs`). */
export function connectTcp(host: string, port: number, timeoutMs: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host, port });
    const timer = setTimeout(() => {
      socket.destroy();
      reject(Object.assign(new Error(`connect ETIMEDOUT ${host}:${port}`), { code: 'ETIMEDOUT' }));
    }, timeoutMs);
    socket.once('connect', () => {
      clearTimeout(timer);
      socket.removeListener('error', onError);
      // Interactive traffic: send keystrokes at once rather than batching them.
      socket.setNoDelay(true);
      socket.setKeepAlive(true, 30_000);
      resolve(socket);
    });
    const onError = (err: Error) => {
      clearTimeout(timer);
      reject(err);
    };
    socket.once('error', onError);
  });
}

/**
 * Copies bytes both ways until the connection is over: what ssh writes to us goes to the instance, what the
 * instance sends goes back to ssh. Each side's end is passed on as a half-close, like `nc` or `ssh -W`; it
 * resolves once the instance's side has closed (and rejects if the connection broke).
 */
export function relay(socket: Socket, input: Readable, output: Writable): Promise<void> {
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
