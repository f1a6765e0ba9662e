import { untilAborted } from '../base/abort';
import type { Logger } from '../base/log';
import type { PtySize } from '../ssh/channel';
import type { SshChannel, SshConnection } from '../ssh/session';
import type { Connector, ConnectRequest, ConnectTarget } from './connector';

/**
 * A hold on a shared connection: a terminal, a forward or the files keep one while they use it. The
 * connection stays open while anyone holds it, and lingers a little after the last release.
 */
export interface Lease {
  readonly connection: SshConnection;
  readonly target: ConnectTarget;
  /** Called once if the connection is lost while held (not after a release), with why. */
  onLost(listener: (error: Error) => void): void;
  /** Idempotent. */
  release(): void;
}

export interface PoolOptions {
  connector: Connector;
  /** How long a connection nobody holds stays open, for the next terminal or forward; 0 ends it at once. */
  lingerSeconds: number;
  log: Logger;
}

interface Entry {
  key: string;
  opening: Promise<SshConnection>;
  connection?: SshConnection;
  holders: number;
  linger?: NodeJS.Timeout;
}

/**
 * One SSH connection per (profile, region, instance, OS user), shared by everything the editor opens on
 * an instance: an Instance Connect Endpoint allows 20 connections, and each new one costs a key push. A
 * connection is opened on first use, ended when its last holder has been gone for the linger time, and
 * opened afresh (new key, new tunnel) by the next request after it dropped. Requests that arrive while it
 * opens wait for the same one; a request that gives up (its signal) does not cancel it for the others.
 */
export class ConnectionPool {
  private readonly entries = new Map<string, Entry>();
  private readonly log: Logger;

  constructor(private readonly options: PoolOptions) {
    this.log = options.log.child('pool');
  }

  /** The connector the pool connects with (its host keys, OS users and endpoint lookups). */
  get connector(): Connector {
    return this.options.connector;
  }

  /** Connections open or opening now. */
  get size(): number {
    return this.entries.size;
  }

  /** Resolves the target (as a connection would), then holds its connection: the open one, else a new one. */
  async acquire(request: ConnectRequest): Promise<Lease> {
    const target = await this.options.connector.resolveTarget(request);
    const open = this.entries.get(poolKey(target))?.connection;
    request.onConnecting?.(target, open !== undefined && !open.closed);
    const entry = this.entryFor(target);
    entry.holders++;
    clearTimeout(entry.linger);
    let connection: SshConnection;
    try {
      connection = await untilAborted(entry.opening, request.signal);
    } catch (err) {
      this.release(entry);
      throw err;
    }
    return this.lease(entry, connection, target);
  }

  /** A shell on the instance's shared connection (in `startIn`, when given); closing it releases the connection. */
  async openShell(request: ConnectRequest, size: PtySize, startIn?: string): Promise<{ channel: SshChannel; target: ConnectTarget }> {
    return this.openChannel(request, 'a shell', (lease) => lease.connection.shell(size, { onDone: () => lease.release(), startIn }));
  }

  /** A command on the instance's shared connection (no pty); its end releases the connection. */
  async exec(request: ConnectRequest, command: string): Promise<{ channel: SshChannel; target: ConnectTarget }> {
    return this.openChannel(request, 'the command', (lease) => lease.connection.exec(command, { onDone: () => lease.release() }));
  }

  /** Ends every connection now (the editor shutting down). */
  dispose(): void {
    for (const entry of [...this.entries.values()]) {
      clearTimeout(entry.linger);
      this.entries.delete(entry.key);
      entry.connection?.end();
      void entry.opening.then((connection) => connection.end(), () => undefined);
    }
  }

  private async openChannel(request: ConnectRequest, what: 'a shell' | 'the command', open: (lease: Lease) => Promise<SshChannel>) {
    const lease = await this.acquire(request);
    try {
      const channel = await this.options.connector.openSession(lease.target, what, () => open(lease), request.signal);
      return { channel, target: lease.target };
    } catch (err) {
      lease.release();
      throw err;
    }
  }

  private entryFor(target: ConnectTarget): Entry {
    const key = poolKey(target);
    const existing = this.entries.get(key);
    if (existing && !existing.connection?.closed) return existing;
    // Opened without any caller's signal: the first caller closing its terminal must not cancel it for the rest.
    const entry: Entry = { key, holders: 0, opening: this.options.connector.connectTo(target) };
    this.entries.set(key, entry);
    entry.opening.then(
      (connection) => {
        entry.connection = connection;
        connection.onClose(() => {
          clearTimeout(entry.linger);
          if (this.entries.get(key) === entry) this.entries.delete(key);
          this.log.debug(`${key}: connection closed`);
        });
        if (entry.holders === 0) this.scheduleEnd(entry);
      },
      () => {
        // A failed connection is not kept: the next request tries again.
        if (this.entries.get(key) === entry) this.entries.delete(key);
      },
    );
    return entry;
  }

  private lease(entry: Entry, connection: SshConnection, target: ConnectTarget): Lease {
    let released = false;
    const lostListeners: ((error: Error) => void)[] = [];
    const unsubscribe = connection.onClose((reason) => {
      if (released) return;
      released = true;
      entry.holders--;
      const error = connection.lostError(reason);
      for (const listener of lostListeners) listener(error);
    });
    return {
      connection,
      target,
      onLost: (listener) => lostListeners.push(listener),
      release: () => {
        if (released) return;
        released = true;
        unsubscribe();
        this.release(entry);
      },
    };
  }

  private release(entry: Entry): void {
    entry.holders--;
    if (entry.holders === 0 && entry.connection) this.scheduleEnd(entry);
  }

  private scheduleEnd(entry: Entry): void {
    const end = () => {
      if (entry.holders > 0) return;
      if (this.entries.get(entry.key) === entry) this.entries.delete(entry.key);
      this.log.debug(`${entry.key}: nothing uses the connection; ending it`);
      entry.connection?.end();
    };
    clearTimeout(entry.linger);
    if (this.options.lingerSeconds <= 0) return end();
    entry.linger = setTimeout(end, this.options.lingerSeconds * 1000);
    entry.linger.unref();
  }
}

/** Which connection a target shares: one per (profile, region, instance, OS user). */
export function poolKey(target: ConnectTarget): string {
  const { instance } = target;
  return `${instance.profile ?? ''}|${instance.region}|${instance.instanceId}|${target.osUser}`;
}
