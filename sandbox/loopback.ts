// Loopback addresses for the instances. All of 127.0.0.0/8 reaches this machine, and several sandboxes may
// run at once (parallel test files, other worktrees), so each instance (and each Instance Connect Endpoint)
// gets a random address that is checked to be free; port 22 when it can be bound, else one free port shared
// by every instance.
import { connect, createServer } from 'node:net';

export function randomLoopback(): string {
  // Never 127.0.x.x: 127.0.0.1 and Debian's 127.0.1.1 are the machine's own. Never 127.100.0.0 and above:
  // the VPCs' private addresses (account.ts), on which nothing may listen.
  const octet = (min: number, max: number): number => min + Math.floor(Math.random() * (max - min + 1));
  return `127.${octet(1, 99)}.${octet(0, 255)}.${octet(1, 254)}`;
}

/** Resolves the port actually bound (so `port` 0 finds a free one), or undefined when it cannot bind. */
export function tryBind(host: string, port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(undefined));
    server.listen({ host, port, exclusive: true }, () => {
      const address = server.address();
      const bound = typeof address === 'object' && address ? address.port : undefined;
      server.close(() => resolve(bound));
    });
  });
}

/** 22 when this process may bind it (root, nothing on 0.0.0.0:22), else a free high port. */
export async function chooseSshPort(): Promise<number> {
  const probe = randomLoopback();
  if ((await tryBind(probe, 22)) === 22) return 22;
  const port = await tryBind(probe, 0);
  if (port === undefined) throw new Error(`cannot bind any port on ${probe}`);
  return port;
}

/** A loopback address not in `used` (which it joins), free on `port` when a port is given. */
export async function freeLoopback(used: Set<string>, port?: number): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const address = randomLoopback();
    if (used.has(address)) continue;
    if (port !== undefined && (await tryBind(address, port)) === undefined) continue;
    used.add(address);
    return address;
  }
  throw new Error(`no free loopback address${port === undefined ? '' : ` on port ${port}`} after 100 tries`);
}

/** Whether something accepts TCP connections there. */
export function acceptsConnections(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}
