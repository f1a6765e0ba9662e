import { constants } from 'node:os';
import type { Duplex } from 'node:stream';

import { type AuthenticationType, Client, type ClientChannel, type NextAuthHandler, type SFTPWrapper } from 'ssh2';

import type { Logger } from '../base/log';
import { shellWord } from '../base/shellWord';
import { cancelled, isProductError, ProductError } from '../errors/productError';
import type { ChannelEnd, PtySize, TerminalChannel } from './channel';
import { type PresentedHostKey, presentedHostKey } from './hostKeys';
import { connectFailure, connectionLost, type ConnectStage, isAuthFailure, lostReason, type SshEndpoint, stageTimeout } from './sshErrors';

export interface SshConnectOptions {
  endpoint: SshEndpoint;
  /** OpenSSH PEM, in memory. */
  privateKey: string;
  readyTimeoutSeconds: number;
  /** 0 turns keepalives off. */
  keepaliveIntervalSeconds: number;
  /** Resolves to accept the host key; throws (a ProductError) to refuse it, and the connection fails with that error. */
  verifyHostKey(key: PresentedHostKey): Promise<void>;
  /**
   * Called when the server refuses the key, with the number of refusals so far. Resolves true once the key
   * is acceptable again (pushed again), and the same key is offered once more on the same connection;
   * false gives up. Without it the first refusal fails.
   */
  onKeyRefused?(refusals: number): Promise<boolean>;
  /**
   * Settles once the key may be offered (EC2 Instance Connect's push, running while the TCP and SSH handshakes
   * do). The key is offered after it resolves; when it rejects, the attempt ends at once with its error.
   */
  keyAuthorized?: Promise<void>;
  /** A stream already open to the instance's SSH port (an Instance Connect Endpoint's tunnel); without it, TCP to the endpoint's host and port. */
  sock?: Duplex;
  log: Logger;
  signal?: AbortSignal;
}

/**
 * Opens an SSH connection with a key, verifying the host key, and resolves once authenticated.
 * Fails with a ProductError ('timeout', 'unreachable', the verifier's error, 'cancelled'), or with ssh2's
 * client-authentication error (see isAuthFailure) when the key was refused, for the caller to explain.
 */
export function openSshConnection(options: SshConnectOptions): Promise<SshConnection> {
  const { endpoint, log } = options;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let tcpConnected = options.sock !== undefined;
    let settled = false;
    // One deadline per stage (TCP, the SSH handshake, authentication), each the connect timeout, none while the
    // key is being pushed (that has its own): a slow stage is named, and a slow AWS is not blamed on the instance.
    let stageTimer: NodeJS.Timeout | undefined;
    const stage = (name: ConnectStage) => {
      clearTimeout(stageTimer);
      stageTimer = setTimeout(() => {
        client.destroy();
        fail(stageTimeout(name, endpoint, options.readyTimeoutSeconds));
      }, options.readyTimeoutSeconds * 1000);
    };
    const waitingForPush = () => clearTimeout(stageTimer);
    /** Set when a failure is decided inside a callback of ssh2, which then reports its own, vaguer error. */
    let decided: unknown;
    let refusals = 0;

    const onAbort = () => fail(cancelled());
    const fail = (err: unknown) => {
      clearTimeout(stageTimer);
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners();
      client.on('error', () => {});
      client.end();
      reject(err);
    };
    if (options.signal?.aborted) return reject(cancelled());
    options.signal?.addEventListener('abort', onAbort);
    options.keyAuthorized?.catch(fail);

    client.on('connect', () => {
      tcpConnected = true;
      stage('handshake');
      // ssh2 leaves Nagle's algorithm on: each small handshake packet would wait for the last one's ACK (which
      // the other side delays), adding tens of milliseconds per round trip. OpenSSH turns it off too.
      client.setNoDelay(true);
      log.trace(`tcp connected to ${endpoint.host}:${endpoint.port}`);
    });
    client.on('ready', () => {
      clearTimeout(stageTimer);
      if (settled) return;
      settled = true;
      options.signal?.removeEventListener('abort', onAbort);
      client.removeAllListeners();
      resolve(new SshConnection(client, endpoint, log));
    });
    client.on('error', (err: Error) => {
      if (decided !== undefined) fail(decided);
      else if (isAuthFailure(err)) fail(err);
      else fail(connectFailure(err, endpoint, options.readyTimeoutSeconds, tcpConnected));
    });
    client.on('close', () =>
      fail(decided ?? connectFailure(new Error('the connection closed during the SSH handshake'), endpoint, options.readyTimeoutSeconds, tcpConnected)),
    );

    const publicKeyAuth = { type: 'publickey' as const, username: endpoint.user, key: options.privateKey };
    stage(options.sock ? 'handshake' : 'tcp');
    client.connect({
      ...(options.sock ? { sock: options.sock } : {}),
      host: endpoint.host,
      port: endpoint.port,
      username: endpoint.user,
      // The stages above have their deadlines instead of ssh2's single one.
      readyTimeout: 0,
      keepaliveInterval: options.keepaliveIntervalSeconds * 1000,
      hostVerifier: (key: Buffer, verify: (valid: boolean) => void) => {
        let presented: PresentedHostKey;
        try {
          presented = presentedHostKey(key);
        } catch (err) {
          decided = err;
          return verify(false);
        }
        options.verifyHostKey(presented).then(
          () => verify(true),
          (err: unknown) => {
            decided = err;
            verify(false);
          },
        );
      },
      authHandler: (methodsLeft: AuthenticationType[] | null, _partial: boolean | null, next: NextAuthHandler) => {
        // ssh2 takes `false` for "no more methods", which its types leave out.
        const giveUp = () => (next as unknown as (auth: false) => void)(false);
        const offer = () => {
          stage('authentication');
          next(publicKeyAuth);
        };
        if (methodsLeft === null) {
          // The handshake is done; authentication starts once the key is pushed.
          if (!options.keyAuthorized) return offer();
          waitingForPush();
          // A failed push has already ended the attempt (see above).
          options.keyAuthorized.then(offer, giveUp);
          return;
        }
        refusals++;
        log.debug(`${endpoint.user}@${endpoint.host} refused the key (refusal ${refusals})`);
        if (!options.onKeyRefused || !methodsLeft.includes('publickey')) return giveUp();
        waitingForPush();
        options.onKeyRefused(refusals).then(
          (again) => (again ? offer() : giveUp()),
          (err: unknown) => {
            decided = err;
            giveUp();
          },
        );
      },
    });
  });
}

/** How a channel asks for a TCP connection from the instance's side (`ssh -L`'s direct-tcpip). */
export interface ForwardOutRequest {
  /** The local end the connection came from, as the instance's sshd logs it. */
  originHost: string;
  originPort: number;
  /** As the instance resolves and reaches it: `localhost`, a private address, `db.internal`. */
  host: string;
  port: number;
}

/**
 * An authenticated SSH connection, shared by its channels: shells, commands, forwarded TCP connections and
 * (later) SFTP. A channel ending does not end the connection: whoever holds it decides (a dedicated one for a
 * single command, or a pool shared by the editor's terminals and forwards).
 */
export class SshConnection {
  private closeListeners = new Set<(reason: unknown) => void>();
  private lastErrorSeen?: Error;
  private closedReason?: { error: unknown };
  private channels = 0;

  constructor(
    private readonly client: Client,
    readonly endpoint: SshEndpoint,
    private readonly log: Logger,
  ) {
    // Errors after this point end the connection (then 'close' follows); they are kept to say why it was lost.
    client.on('error', (err) => {
      this.lastErrorSeen = err;
      log.debug(`connection error: ${err.message}`);
    });
    client.on('close', () => {
      if (this.closedReason) return;
      this.closedReason = { error: this.lastErrorSeen };
      const listeners = [...this.closeListeners];
      this.closeListeners.clear();
      for (const listener of listeners) listener(this.lastErrorSeen);
    });
  }

  /** ssh2's last error on it: why it is being lost, when a channel hears of that first. */
  get lastError(): unknown {
    return this.lastErrorSeen;
  }

  /** Whether the connection is over (ended here, or lost). */
  get closed(): boolean {
    return this.closedReason !== undefined;
  }

  /** Channels open on it now. */
  get openChannels(): number {
    return this.channels;
  }

  /** Called once when the connection closes, with ssh2's last error (undefined when it ended cleanly). Returns an unsubscribe. */
  onClose(listener: (reason: unknown) => void): () => void {
    if (this.closedReason) {
      const { error } = this.closedReason;
      queueMicrotask(() => listener(error));
      return () => {};
    }
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  /** Why the connection was lost, as a ProductError (a tunnel that ended says so in its own words). */
  lostError(reason: unknown): ProductError {
    return isProductError(reason) ? reason : connectionLost(this.endpoint, lostReason(reason));
  }

  /** An interactive shell on a pty (`xterm-256color`); with `startIn`, the user's login shell started in that folder. */
  shell(size: PtySize, options: ChannelOptions & { startIn?: string } = {}): Promise<SshChannel> {
    const pty = { term: 'xterm-256color', cols: size.cols, rows: size.rows };
    if (options.startIn !== undefined) {
      const command = `cd -- ${shellWord(options.startIn)} && exec "\${SHELL:-/bin/sh}" -l`;
      return this.open((callback) => this.client.exec(command, { pty }, callback), options);
    }
    return this.open((callback) => this.client.shell(pty, callback), options);
  }

  /** A command without a pty (as `ssh host -- command` runs it): separate stdout and stderr, the exit status at the end. */
  exec(command: string, options: ChannelOptions = {}): Promise<SshChannel> {
    return this.open((callback) => this.client.exec(command, callback), options);
  }

  /**
   * A TCP connection made by the instance to `host:port` (a direct-tcpip channel). Refused as sshd refuses it:
   * `forwardingDisabled` when its sshd does not allow TCP forwarding, `forwardRefused` when the connection failed.
   */
  forwardOut(request: ForwardOutRequest): Promise<ClientChannel> {
    if (this.closed) return Promise.reject(this.lostError(this.closedReason?.error));
    return new Promise((resolve, reject) => {
      this.client.forwardOut(request.originHost, request.originPort, request.host, request.port, (err, stream) => {
        if (err) return reject(forwardFailure(err, this.endpoint, request));
        this.track(stream);
        nudge(stream);
        resolve(stream);
      });
    });
  }

  /** An SFTP session (the instance's sftp-server subsystem, as OpenSSH's `sftp` uses it). */
  sftp(): Promise<SFTPWrapper> {
    if (this.closed) return Promise.reject(this.lostError(this.closedReason?.error));
    return new Promise((resolve, reject) => {
      this.client.sftp((err, sftp) => {
        if (err) return reject(connectionLost(this.endpoint, `the instance did not start its SFTP server (${err.message})`));
        this.channels++;
        sftp.once('close', () => this.channels--);
        resolve(sftp);
      });
    });
  }

  /** Ends the connection and every channel on it. */
  end(): void {
    this.client.end();
  }

  private open(start: (callback: (err: Error | undefined, stream: ClientChannel) => void) => void, options: ChannelOptions): Promise<SshChannel> {
    if (this.closed) return Promise.reject(this.lostError(this.closedReason?.error));
    return new Promise((resolve, reject) => {
      start((err, stream) => {
        if (err) return reject(connectionLost(this.endpoint, `the instance did not open a session (${err.message})`));
        this.track(stream);
        resolve(new SshChannel(this, stream, this.log, options.onDone));
      });
    });
  }

  private track(stream: ClientChannel): void {
    this.channels++;
    stream.once('close', () => this.channels--);
  }
}

/**
 * sshd turns Nagle's algorithm off only for a session with a pty, so on a connection that only forwards, the
 * first bytes of a service that speaks first (a database's greeting, an SMTP banner) wait in sshd until this
 * side acknowledges the channel's confirmation, which the kernel delays by about 40 ms. A packet from here
 * at once carries that acknowledgement: a window adjustment of 0 bytes, which changes nothing else. ssh2 has
 * no public call for it; without the internal one, the forward only keeps the delay (bench/forward.ts).
 */
function nudge(stream: ClientChannel): void {
  const channel = stream as unknown as { outgoing?: { id?: number }; _client?: { _protocol?: { channelWindowAdjust?(id: number, bytes: number): void } } };
  const protocol = channel._client?._protocol;
  const remoteId = channel.outgoing?.id;
  if (typeof remoteId === 'number' && typeof protocol?.channelWindowAdjust === 'function') protocol.channelWindowAdjust(remoteId, 0);
}

export interface ChannelOptions {
  /** Called once, when the channel has ended or was closed here: a dedicated connection ends, a shared one is released. */
  onDone?(): void;
}

/** What sshd's channel-open refusal means for a forward (RFC 4254 reason codes). */
function forwardFailure(err: Error & { reason?: number }, endpoint: SshEndpoint, request: ForwardOutRequest): ProductError {
  const target = `${request.host}:${request.port}`;
  const facts = { host: request.host, port: request.port, reason: err.reason };
  // 1: SSH_OPEN_ADMINISTRATIVELY_PROHIBITED (AllowTcpForwarding no, PermitOpen, DisableForwarding).
  if (err.reason === 1 || /prohibited/i.test(err.message)) {
    return new ProductError(
      'forwardingDisabled',
      `${endpoint.who} does not allow port forwarding to ${target} for "${endpoint.user}" (its sshd refused it: ${err.message.replace(/^\(SSH\) /, '')}). ` +
        'Its sshd_config sets AllowTcpForwarding no, DisableForwarding yes, or a PermitOpen that leaves this port out; an administrator can change that.',
      facts,
    );
  }
  return new ProductError(
    'forwardRefused',
    `${endpoint.who} could not connect to ${target} for the forward: nothing listens there, or the instance cannot reach it (${err.message.replace(/^\(SSH\) /, '')}).`,
    facts,
  );
}

/** One shell or command on a connection. */
export class SshChannel implements TerminalChannel {
  private dataListener?: (data: Buffer, stream: 'stdout' | 'stderr') => void;
  private endListener?: (end: ChannelEnd) => void;
  /** Output that came before onData was called (the same tick the channel opened), handed over in order. */
  private early: [Buffer, 'stdout' | 'stderr'][] = [];
  private exit?: Extract<ChannelEnd, { kind: 'exit' }>;
  private lostWith?: { reason: unknown };
  private ended?: ChannelEnd;
  private closedHere = false;
  private done = false;
  private readonly unsubscribe: () => void;

  constructor(
    private readonly connection: SshConnection,
    private readonly stream: ClientChannel,
    private readonly log: Logger,
    private readonly onDone?: () => void,
  ) {
    stream.on('data', (data: Buffer) => this.emitData(data, 'stdout'));
    stream.stderr.on('data', (data: Buffer) => this.emitData(data, 'stderr'));
    stream.on('exit', (code: number | null, signal?: string) => {
      this.exit = { kind: 'exit', code: code ?? signalExitCode(signal), signal: signal ?? undefined };
    });
    stream.on('close', () => this.finish());
    this.unsubscribe = connection.onClose((reason) => {
      this.lostWith = { reason };
      this.finish();
    });
  }

  onData(listener: (data: Buffer, stream: 'stdout' | 'stderr') => void): void {
    this.dataListener = listener;
    const early = this.early;
    this.early = [];
    for (const [data, stream] of early) listener(data, stream);
    this.deliverEnd();
  }

  onEnd(listener: (end: ChannelEnd) => void): void {
    this.endListener = listener;
    this.deliverEnd();
  }

  write(data: string | Buffer): void {
    if (!this.ended) this.stream.write(data);
  }

  resize(size: PtySize): void {
    if (!this.ended) this.stream.setWindow(size.rows, size.cols, 0, 0);
  }

  endInput(): void {
    if (!this.ended) this.stream.end();
  }

  pause(): void {
    this.stream.pause();
  }

  resume(): void {
    this.stream.resume();
  }

  close(): void {
    this.closedHere = true;
    this.stream.close();
    this.release();
  }

  private emitData(data: Buffer, stream: 'stdout' | 'stderr'): void {
    if (this.dataListener) this.dataListener(data, stream);
    else this.early.push([data, stream]);
  }

  private finish(): void {
    if (this.ended || this.closedHere) return;
    const { endpoint } = this.connection;
    if (this.exit) {
      this.ended = this.exit;
      this.log.debug(`session on ${endpoint.host} ended with exit status ${this.exit.code}`);
    } else {
      const error = this.connection.lostError(this.lostWith ? this.lostWith.reason : this.connection.lastError);
      this.ended = { kind: 'lost', error };
      this.log.info(`connection to ${endpoint.host}:${endpoint.port} lost: ${error.facts.reason ?? error.message}`);
    }
    this.release();
    this.deliverEnd();
  }

  private release(): void {
    if (this.done) return;
    this.done = true;
    this.unsubscribe();
    this.onDone?.();
  }

  /** The end goes out after the last output, once both listeners are there. */
  private deliverEnd(): void {
    if (!this.ended || !this.endListener || !this.dataListener) return;
    const listener = this.endListener;
    this.endListener = undefined;
    listener(this.ended);
  }
}

/** A program killed by a signal exits with 128 + its number, as shells report it. */
function signalExitCode(signal: string | undefined): number {
  const number = signal ? (constants.signals as Record<string, number>)[`SIG${signal}`] : undefined;
  return number ? 128 + number : 255;
}
