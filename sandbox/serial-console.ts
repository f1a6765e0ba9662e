// The EC2 serial console endpoint: an SSH server where `<instance-id>.port0` logs in with a key pushed by
// SendSerialConsoleSSHPublicKey, one session per instance at a time.
import { timingSafeEqual } from 'node:crypto';
import type { AddressInfo } from 'node:net';

import { type Connection, type PublicKeyAuthContext, Server, utils } from 'ssh2';

import type { Fleet } from './fleet';
import type { KeyStore } from './key-store';
import { runSerialConsole, type Terminal } from './serial-login';
import { ed25519KeyPair, fingerprintOf, parsePublicKeyLine } from './ssh-keys';

export interface SerialConsoleOptions {
  fleet: Fleet;
  keys: KeyStore;
  /** AWS takes about 30 s to free an instance's console after a session ends; the sandbox defaults to 0. */
  teardownMs: number;
  log: (line: string) => void;
}

const SERIAL_USER = /^(i-[0-9a-f]{8,17})\.port(\d+)$/;

function sameKey(pushed: string, offered: Buffer): boolean {
  const parsed = parsePublicKeyLine(pushed);
  return !!parsed && parsed.blob.length === offered.length && timingSafeEqual(parsed.blob, offered);
}

export class SerialConsole {
  readonly host = '127.0.0.1';
  port = 0;
  readonly fingerprint: string;
  private readonly server: Server;
  /** Instances with a session open, or still being torn down. */
  private readonly busy = new Set<string>();
  private readonly connections = new Set<Connection>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private readonly consoles = new Set<() => void>();

  constructor(private readonly options: SerialConsoleOptions) {
    const hostKey = ed25519KeyPair();
    const parsed = utils.parseKey(hostKey.private);
    if (parsed instanceof Error) throw parsed;
    this.fingerprint = fingerprintOf(parsed.getPublicSSH());
    this.server = new Server({ hostKeys: [hostKey.private] }, (client) => this.accept(client));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(0, this.host, () => resolve());
    });
    this.port = (this.server.address() as AddressInfo).port;
  }

  isBusy(instanceId: string): boolean {
    return this.busy.has(instanceId);
  }

  /** Ends every console session and its login shell at once (for process exit: exit-cleanup.ts). */
  endSessionsSync(): void {
    for (const end of this.consoles) end();
  }

  async close(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer);
    for (const end of this.consoles) end();
    for (const connection of this.connections) connection.end();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private accept(client: Connection): void {
    this.connections.add(client);
    let instanceId: string | undefined;
    client.on('error', () => undefined);
    client.on('authentication', (context) => {
      const match = SERIAL_USER.exec(context.username);
      if (!match || match[2] !== '0' || context.method !== 'publickey') {
        context.reject(['publickey']);
        return;
      }
      if (this.authenticate(context, match[1])) instanceId = match[1];
    });
    client.on('ready', () => {
      client.on('session', (acceptSession) => {
        const session = acceptSession();
        const terminal: Terminal = { term: 'vt220', cols: 80, rows: 24 };
        session.on('pty', (acceptPty, _reject, info) => {
          Object.assign(terminal, { term: info.term, cols: info.cols, rows: info.rows });
          acceptPty?.();
        });
        session.on('window-change', (acceptChange) => acceptChange?.());
        session.on('shell', (acceptShell) => {
          const instance = instanceId ? this.options.fleet.findAnywhere(instanceId) : undefined;
          const stream = acceptShell();
          if (!instance) return;
          const end = runSerialConsole(stream, instance, terminal);
          this.consoles.add(end);
          stream.on('close', () => this.consoles.delete(end));
        });
      });
    });
    client.on('close', () => {
      this.connections.delete(client);
      if (instanceId) this.release(instanceId);
    });
  }

  /** Accepts the key only if it was pushed for this instance within the window and no session is open. */
  private authenticate(context: PublicKeyAuthContext, instanceId: string): boolean {
    const instance = this.options.fleet.findAnywhere(instanceId);
    const pushed = this.options.keys.serialKeys(instanceId).find((key) => sameKey(key, context.key.data));
    if (!instance || instance.state !== 'running' || !pushed) {
      this.options.log(`serial console: refused ${context.username}${pushed ? '' : ' (no key pushed in the window)'}`);
      context.reject();
      return false;
    }
    // Without a signature the client only asks whether the key would do.
    if (!context.signature || !context.blob) {
      context.accept();
      return false;
    }
    const key = utils.parseKey(pushed);
    if (key instanceof Error || !key.verify(context.blob, context.signature, context.hashAlgo)) {
      context.reject();
      return false;
    }
    if (this.busy.has(instanceId)) {
      this.options.log(`serial console: refused ${context.username} (a session is already open)`);
      context.reject();
      return false;
    }
    this.busy.add(instanceId);
    this.options.log(`serial console: session opened on ${instanceId}`);
    context.accept();
    return true;
  }

  private release(instanceId: string): void {
    this.options.log(`serial console: session closed on ${instanceId}`);
    if (this.options.teardownMs <= 0) {
      this.busy.delete(instanceId);
      return;
    }
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      this.busy.delete(instanceId);
    }, this.options.teardownMs);
    this.timers.add(timer);
  }
}
