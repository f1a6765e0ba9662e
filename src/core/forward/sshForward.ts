import type { Socket } from 'node:net';

import { describeThrown, type Logger } from '../base/log';
import type { Lease } from '../connect/connectionPool';
import { describeFailure } from '../errors/describe';
import { isProductError } from '../errors/productError';
import { listenLocally, type LocalListener } from '../transport/localListener';
import { ForwardBase, type ForwardInstance } from './forward';
import type { ForwardSpec } from './forwardSpec';

export interface SshForwardOptions {
  spec: ForwardSpec;
  instance: ForwardInstance;
  /**
   * Holds the instance's shared connection: the open one, or a new one (fresh key, fresh tunnel). `again` is
   * set after the held one was lost, so the instance is described again (a stop and start moves it).
   */
  acquire(again: boolean): Promise<Lease>;
  /**
   * Opens and closes one channel to the remote side before listening: an instance that does not allow
   * forwarding fails the start; nothing listening there yet is only a warning (`problem`).
   */
  probe?: boolean;
  log: Logger;
}

/**
 * `ssh -L`: listens here, and for each local connection opens a direct-tcpip channel on the instance's
 * shared SSH connection. The forward holds that connection while it runs; when it drops, the next local
 * connection opens it again.
 */
export class SshForward extends ForwardBase {
  readonly kind = 'ssh';
  private listener?: LocalListener;
  private lease?: Lease;
  private acquiring?: Promise<Lease>;
  private lost = false;
  private open = 0;
  private total = 0;
  private readonly log: Logger;

  private constructor(private readonly options: SshForwardOptions) {
    super(options.instance, { host: options.spec.remoteHost, port: options.spec.remotePort });
    this.log = options.log.child('forward');
  }

  /** Listens, then holds the instance's connection (so a failure to reach it is said now, not at first use). */
  static async start(options: SshForwardOptions): Promise<SshForward> {
    const forward = new SshForward(options);
    const { bindAddress, localPort } = options.spec;
    forward.listener = await listenLocally(bindAddress, localPort, (socket) => forward.accept(socket));
    try {
      forward.hold(await options.acquire(false));
      if (options.probe) await forward.probe();
    } catch (err) {
      await forward.stop();
      throw err;
    }
    forward.log.info(`${forward.describe()} listening`);
    return forward;
  }

  get local(): { host: string; port: number } {
    return { host: this.options.spec.bindAddress, port: this.listener?.port ?? this.options.spec.localPort };
  }

  get connections(): { open: number; total: number } {
    return { open: this.open, total: this.total };
  }

  protected async close(): Promise<void> {
    const listener = this.listener;
    this.listener = undefined;
    this.lease?.release();
    this.lease = undefined;
    await listener?.close();
  }

  private describe(): string {
    return `${this.local.host}:${this.local.port} → ${this.remote.host}:${this.remote.port} on ${this.instance.instanceId}`;
  }

  private hold(lease: Lease): void {
    if (this.current === 'stopped') return lease.release();
    this.lease = lease;
    lease.onLost((error) => {
      if (this.lease !== lease) return;
      this.lease = undefined;
      this.lost = true;
      this.log.info(`${this.describe()}: ${error.message}`);
      this.set('dropped', `${error.message} It opens again on the next connection.`);
    });
  }

  /** The held connection, or a new one when it was lost: one attempt for all the local connections waiting. */
  private connection(): Promise<Lease> {
    if (this.lease) return Promise.resolve(this.lease);
    if (!this.acquiring) {
      this.set('connecting', this.currentProblem);
      this.acquiring = this.options
        .acquire(this.lost)
        .then((lease) => {
          this.hold(lease);
          this.set('open', undefined);
          return lease;
        })
        .catch((err: unknown) => {
          this.set('failed', this.failureText(err));
          throw err;
        })
        .finally(() => {
          this.acquiring = undefined;
        });
    }
    return this.acquiring;
  }

  /** Why opening the connection again failed, as a notification says it (AWS's refusals too, without their request ids). */
  private failureText(err: unknown): string {
    const { instanceId, name: instanceName, region, profile } = this.instance;
    return describeFailure(err, { operation: 'connect', instanceId, instanceName, region, profile }).message;
  }

  private async probe(): Promise<void> {
    try {
      const channel = await this.lease!.connection.forwardOut({ originHost: '127.0.0.1', originPort: 0, ...this.remote });
      channel.close();
    } catch (err) {
      if (!isProductError(err, 'forwardRefused')) throw err;
      this.currentProblem = err.message;
    }
  }

  private accept(socket: Socket): void {
    socket.pause();
    socket.setNoDelay(true);
    socket.on('error', () => {});
    this.open++;
    this.total++;
    this.changes.fire();
    socket.once('close', () => {
      this.open--;
      this.changes.fire();
    });
    this.connection()
      .then((lease) =>
        lease.connection.forwardOut({ originHost: socket.remoteAddress ?? '127.0.0.1', originPort: socket.remotePort ?? 0, ...this.remote }),
      )
      .then((channel) => {
        if (socket.destroyed) return channel.close();
        if (this.currentProblem && this.current === 'open') this.set('open', undefined);
        socket.pipe(channel);
        channel.pipe(socket);
        channel.on('error', () => socket.destroy());
        // The instance's side closed: finish writing what it sent, then close ours.
        channel.once('close', () => socket.end());
        socket.once('close', () => channel.close());
        socket.resume();
      })
      .catch((err: unknown) => {
        this.log.warn(`${this.describe()}: ${describeThrown(err)}`);
        if (isProductError(err, 'forwardRefused') || isProductError(err, 'forwardingDisabled')) this.set(this.current, err.message);
        socket.destroy();
      });
  }
}
