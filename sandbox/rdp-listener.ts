// A Windows instance's port 3389. It does not speak RDP: it writes a banner naming the instance, then echoes
// what it receives, so a test can check the bytes both ways (through an Instance Connect Endpoint's tunnel,
// a port forward, or straight to a public instance's address). It runs while the instance runs, as sshd does
// for a Linux one.
import { createServer, type Server, type Socket } from 'node:net';

export const RDP_PORT = 3389;

export class RdpListener {
  private server?: Server;
  private readonly sockets = new Set<Socket>();

  constructor(readonly spec: { instanceId: string; host: string; port: number }) {}

  /** What it writes first on every connection. */
  get banner(): string {
    return `RDP sandbox ${this.spec.instanceId}\r\n`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((socket) => {
      this.sockets.add(socket);
      socket.once('close', () => this.sockets.delete(socket));
      socket.on('error', () => undefined);
      socket.setNoDelay(true);
      socket.write(this.banner);
      socket.pipe(socket);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen({ host: this.spec.host, port: this.spec.port, exclusive: true }, () => resolve());
    });
    this.server = server;
  }

  /** Stops listening and cuts every connection, as the instance shutting down does. */
  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    await closed;
  }

  killSync(): void {
    for (const socket of this.sockets) socket.destroy();
    this.server?.close();
    this.server = undefined;
  }
}
