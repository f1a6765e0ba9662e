import { createServer, type Server, type Socket } from 'node:net';

import { ProductError } from '../errors/productError';

export interface LocalListener {
  /** The address it listens on, as asked (127.0.0.1, 0.0.0.0, ::1). */
  readonly host: string;
  /** The port bound: the one asked for, or the free one the system chose for 0. */
  readonly port: number;
  /** Stops listening and destroys the connections it accepted. */
  close(): Promise<void>;
}

/**
 * Listens on this computer for a forward or a tunnel. A port that is taken, a privileged port, or an
 * address this computer does not have is a `portInUse` or `badInput` ProductError that says so.
 */
export async function listenLocally(host: string, port: number, onConnection: (socket: Socket) => void): Promise<LocalListener> {
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    onConnection(socket);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenFailure(err, host, port)));
    server.listen({ host, port, exclusive: true }, () => resolve());
  });
  const address = server.address();
  const bound = typeof address === 'object' && address ? address.port : port;
  return {
    host,
    port: bound,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        server.close(() => resolve());
      }),
  };
}

/** Whether a port can be listened on now (the editor's default local port: the remote one, when free). */
export async function isPortFree(host: string, port: number): Promise<boolean> {
  try {
    const listener = await listenLocally(host, port, (socket) => socket.destroy());
    await listener.close();
    return true;
  } catch {
    return false;
  }
}

function listenFailure(err: NodeJS.ErrnoException, host: string, port: number): unknown {
  const where = `${host.includes(':') ? `[${host}]` : host}:${port}`;
  if (err.code === 'EADDRINUSE') {
    return new ProductError('portInUse', `Port ${port} on this computer (${where}) is in use by another program: choose another local port.`, { host, port });
  }
  if (err.code === 'EACCES') {
    return new ProductError('portInUse', `This computer does not let this program listen on port ${port} (${where}): ports below 1024 need administrator rights. Choose a port of 1024 or above.`, { host, port });
  }
  if (err.code === 'EADDRNOTAVAIL' || err.code === 'ENOTFOUND' || err.code === 'EAFNOSUPPORT') {
    return new ProductError('badInput', `This computer has no address ${host} to listen on: use 127.0.0.1 (this computer only) or 0.0.0.0 (every address).`, { host, port });
  }
  return err;
}
