import { timingSafeEqual } from 'node:crypto';
import { type AddressInfo, createServer, type Server as NetServer, type Socket } from 'node:net';

import { Server, type ServerChannel, utils } from 'ssh2';

import { ed25519Pair } from './keys';

/**
 * An in-process ssh2 server for unit tests of the SSH layer: it accepts exactly the public keys the test
 * authorizes (as a pushed key would be), runs a tiny shell (whoami, exit N, stty size) and records ptys
 * and resizes. The integration tests use the sandbox's real sshd instead.
 */
export class TestSshServer {
  readonly hostKey = ed25519Pair();
  /** Public key lines accepted per OS user, as pushed keys are. */
  private readonly authorized = new Map<string, Set<string>>();
  readonly ptys: { term: string; cols: number; rows: number }[] = [];
  readonly resizes: { cols: number; rows: number }[] = [];
  authAttempts = 0;
  /** How long it takes to answer a key (an overloaded instance, a slow AuthorizedKeysCommand). */
  authDelayMs = 0;
  private readonly sockets = new Set<Socket>();
  private server!: Server;
  private listener!: NetServer;
  port = 0;

  async start(): Promise<this> {
    this.server = new Server({ hostKeys: [this.hostKey.private] }, (client) => {
      let user = '';
      client.on('authentication', (ctx) => {
        user = ctx.username;
        if (ctx.method !== 'publickey') return ctx.reject(['publickey']);
        this.authAttempts++;
        const known = [...(this.authorized.get(ctx.username) ?? [])].some((line) => {
          const key = utils.parseKey(line);
          if (key instanceof Error) return false;
          const blob = key.getPublicSSH();
          return blob.length === ctx.key.data.length && timingSafeEqual(blob, ctx.key.data) && (!ctx.signature || key.verify(ctx.blob!, ctx.signature, ctx.hashAlgo));
        });
        const answer = () => (known ? ctx.accept() : ctx.reject(['publickey']));
        if (this.authDelayMs) setTimeout(answer, this.authDelayMs);
        else answer();
      });
      client.on('ready', () => {
        client.on('session', (accept) => {
          const session = accept();
          let size = { cols: 80, rows: 24 };
          session.on('pty', (acceptPty, _reject, info) => {
            size = { cols: info.cols, rows: info.rows };
            this.ptys.push({ term: info.term, cols: info.cols, rows: info.rows });
            acceptPty?.();
          });
          session.on('window-change', (acceptChange, _reject, info) => {
            size = { cols: info.cols, rows: info.rows };
            this.resizes.push(size);
            acceptChange?.();
          });
          session.on('exec', (acceptExec, _reject, info) => {
            const stream = acceptExec();
            this.run(stream, info.command, user, () => size);
          });
          session.on('shell', (acceptShell) => {
            const stream = acceptShell();
            stream.write(`${user}$ `);
            let line = '';
            stream.on('data', (data: Buffer) => {
              line += data.toString();
              if (!line.includes('\r')) return;
              const command = line.replace(/\r.*$/s, '');
              line = '';
              stream.write('\r\n');
              this.run(stream, command, user, () => size, () => stream.write(`${user}$ `));
            });
          });
        });
      });
      client.on('error', () => {});
    });
    // Our own listener hands sockets to ssh2, so that drop() can cut them like a network failure would.
    this.listener = createServer((socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
      this.server.injectSocket(socket);
    });
    await new Promise<void>((resolve) => this.listener.listen(0, '127.0.0.1', resolve));
    this.port = (this.listener.address() as AddressInfo).port;
    return this;
  }

  authorize(user: string, publicKey: string): void {
    const keys = this.authorized.get(user) ?? new Set<string>();
    keys.add(publicKey);
    this.authorized.set(user, keys);
  }

  /** Cuts every open connection, as a network failure would. */
  drop(): void {
    for (const socket of this.sockets) socket.destroy();
  }

  async stop(): Promise<void> {
    this.drop();
    await new Promise<void>((resolve) => this.listener.close(() => resolve()));
  }

  private run(stream: ServerChannel, command: string, user: string, size: () => { cols: number; rows: number }, next?: () => void): void {
    const exit = /^exit (\d+)$/.exec(command.trim());
    if (exit) {
      stream.exit(Number(exit[1]));
      stream.end();
      return;
    }
    if (command === 'whoami') stream.write(`${user}\n`);
    else if (command === 'stty size') stream.write(`${size().rows} ${size().cols}\n`);
    else if (command === 'echo-stderr') stream.stderr.write('to stderr\n');
    if (next) next();
    else {
      stream.exit(0);
      stream.end();
    }
  }
}
