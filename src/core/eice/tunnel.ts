import type { IncomingMessage } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Duplex } from 'node:stream';

import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';
import { HttpsProxyAgent } from 'https-proxy-agent';
import WebSocket from 'ws';

import type { Logger } from '../base/log';
import { cancelled, ProductError } from '../errors/productError';
import { extraCaTrust } from './extraCa';
import { presignTunnelUrl, type TunnelTarget } from './presign';
import { proxyHost, tunnelProxy } from './proxy';
import { closeFailure, connectFailure, handshakeFailure, type TunnelParty } from './tunnelFailures';

/** AWS CLI v2's frame size (websocket.py): every write goes out as binary frames of at most this many bytes. */
export const maxFrameBytes = 65_000;
/** A refused handshake's body is a short JSON error; more than this is not read. */
const maxErrorBodyBytes = 16 * 1024;

export interface OpenTunnelOptions {
  target: TunnelTarget;
  /** A fresh URL is signed for every socket, with these credentials as they are then. */
  credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** Shown in messages: "db-internal (i-0abc…) in us-east-1". */
  who: string;
  /** Seconds the WebSocket (TCP, TLS and the HTTP upgrade) may take to open. */
  timeoutSeconds: number;
  log: Logger;
  /** Aborts a pending open (ProductError 'cancelled'), destroys an open tunnel. */
  signal?: AbortSignal;
  /** Where HTTPS_PROXY, HTTP_PROXY and NO_PROXY (either case) are read (default process.env). */
  env?: NodeJS.ProcessEnv;
  /**
   * Certificates to trust instead of Node's (with NODE_EXTRA_CA_CERTS): for tests against a local endpoint
   * server. A user behind a TLS-inspecting proxy sets NODE_EXTRA_CA_CERTS instead, read when Node starts.
   */
  ca?: string | Buffer;
}

/** Why a tunnel ended. */
export type TunnelEnd =
  | { kind: 'closed'; code: number; reason: string }
  | { kind: 'expired'; seconds: number }
  | { kind: 'error'; error: Error };

/** The part of a `ws` WebSocket the tunnel uses (a test fakes it). */
export interface TunnelSocket {
  readonly readyState: number;
  readonly bufferedAmount: number;
  send(data: Buffer, options: { binary: boolean }, callback: (err?: Error) => void): void;
  close(code?: number, reason?: string): void;
  terminate(): void;
  pause?(): void;
  resume?(): void;
  on(event: 'message', listener: (data: WebSocket.RawData, isBinary: boolean) => void): this;
  on(event: 'close', listener: (code: number, reason: Buffer) => void): this;
  on(event: 'error', listener: (err: Error) => void): this;
}

const OPEN = 1;

function asBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}

/**
 * An open tunnel: the raw TCP byte stream of the instance's port, over one WebSocket. Each write leaves as
 * binary frames of at most 65,000 bytes, and the write completes only when the socket has taken them (so a
 * bulk transfer waits for the network rather than piling up in memory). When the reader falls behind, the
 * socket stops reading. `end()` closes the WebSocket normally (1000). The endpoint's close with 1000 ends
 * the readable side; any other close, a text frame or a broken connection destroys the stream with a
 * ProductError saying why. No pings: keepalive is SSH's.
 */
export class TunnelStream extends Duplex {
  readonly endpointId: string;
  /** performance.now() when the WebSocket opened. */
  readonly openedAt = performance.now();
  /** Why it ended, once it has. Never rejects. */
  readonly ended: Promise<TunnelEnd>;
  private settle!: (end: TunnelEnd) => void;
  private settled = false;
  private closingByUs = false;

  constructor(
    private readonly socket: TunnelSocket,
    private readonly party: TunnelParty,
    private readonly log: Logger,
  ) {
    // Not half-open: once the endpoint has closed, nothing more can be written either.
    super({ allowHalfOpen: false });
    this.endpointId = party.target.endpointId;
    this.ended = new Promise((resolve) => (this.settle = resolve));
    socket.on('message', (data, isBinary) => this.onMessage(data, isBinary));
    socket.on('close', (code, reason) => this.onClose(code, reason.toString('utf8')));
    socket.on('error', (err) => this.onError(err));
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (err?: Error | null) => void): void {
    if (this.socket.readyState !== OPEN) {
      callback(new ProductError('tunnelClosed', `The tunnel to ${this.party.who} is closed: nothing more can be sent.`, { endpointId: this.endpointId }));
      return;
    }
    let pending = Math.ceil(chunk.length / maxFrameBytes);
    if (pending === 0) return callback();
    let failed = false;
    const done = (err?: Error) => {
      if (failed) return;
      if (err) {
        failed = true;
        return callback(err);
      }
      if (--pending === 0) callback();
    };
    for (let offset = 0; offset < chunk.length; offset += maxFrameBytes) {
      this.socket.send(chunk.subarray(offset, offset + maxFrameBytes), { binary: true }, done);
    }
  }

  override _final(callback: (err?: Error | null) => void): void {
    this.closingByUs = true;
    if (this.socket.readyState === OPEN) this.socket.close(1000);
    callback();
  }

  override _read(): void {
    this.socket.resume?.();
  }

  override _destroy(err: Error | null, callback: (err?: Error | null) => void): void {
    if (this.socket.readyState <= OPEN) {
      this.closingByUs = true;
      if (err) this.socket.terminate();
      else this.socket.close(1000);
    }
    this.finish(err ? { kind: 'error', error: err } : { kind: 'closed', code: 1000, reason: '' });
    callback(err);
  }

  private finish(end: TunnelEnd): void {
    if (this.settled) return;
    this.settled = true;
    const seconds = Math.round((performance.now() - this.openedAt) / 1000);
    const why = end.kind === 'error' ? `failed: ${end.error.message}` : end.kind === 'expired' ? `expired after ${end.seconds} s` : `closed (${end.code})`;
    this.log.debug(`tunnel through ${this.endpointId} ${why}, open ${seconds} s`);
    this.settle(end);
  }

  private onMessage(data: WebSocket.RawData, isBinary: boolean): void {
    if (this.destroyed) return;
    if (!isBinary) {
      // The endpoint sends the port's bytes as binary frames only (AWS CLI v2 treats text as invalid data too).
      this.destroy(
        new ProductError('tunnelClosed', `EC2 Instance Connect Endpoint ${this.endpointId} sent text instead of the bytes of ${this.party.who}'s port: the tunnel was closed.`, {
          endpointId: this.endpointId,
        }),
      );
      return;
    }
    if (!this.push(asBuffer(data))) this.socket.pause?.();
  }

  private onClose(code: number, reason: string): void {
    if (this.destroyed) return;
    const elapsedSeconds = (performance.now() - this.openedAt) / 1000;
    const failure = this.closingByUs && code === 1000 ? undefined : closeFailure({ code, reason, elapsedSeconds }, this.party);
    if (failure) {
      if (failure.kind === 'tunnelExpired') this.finish({ kind: 'expired', seconds: Number(failure.facts.seconds) });
      this.destroy(failure);
      return;
    }
    this.finish({ kind: 'closed', code, reason });
    this.push(null);
  }

  private onError(err: Error): void {
    this.log.debug(`WebSocket of the tunnel through ${this.endpointId}: ${err.message}`);
    if (this.destroyed) return;
    const failure = connectFailure(err, this.party, 0);
    this.destroy(
      failure instanceof Error
        ? failure
        : new ProductError('tunnelClosed', `The tunnel to ${this.party.who} broke: ${err.message}`, { endpointId: this.endpointId }),
    );
  }
}

/**
 * Opens a tunnel through an EC2 Instance Connect Endpoint to the instance's port: signs a fresh URL, opens
 * the WebSocket (through HTTPS_PROXY / HTTP_PROXY unless NO_PROXY names the endpoint) and resolves with the
 * stream once it is open. A refused handshake, a TLS failure, an endpoint out of reach or out of time
 * rejects with a ProductError that says why. The URL holds the signature and the session token: only the
 * host and endpoint id are logged.
 */
export async function openTunnel(options: OpenTunnelOptions): Promise<TunnelStream> {
  const { target, signal } = options;
  const log = options.log.child('tunnel');
  if (signal?.aborted) throw cancelled();
  const credentials = typeof options.credentials === 'function' ? await options.credentials() : options.credentials;
  if (signal?.aborted) throw cancelled();
  const url = await presignTunnelUrl(target, credentials);
  const proxyUrl = tunnelProxy(target.dnsName, options.env ?? process.env);
  const party: TunnelParty = { target, who: options.who, proxy: proxyUrl ? proxyHost(proxyUrl) : undefined };
  const timeoutMs = options.timeoutSeconds * 1000;
  log.debug(
    `opening a tunnel to port ${target.remotePort} of ${target.privateIp} through ${target.endpointId} at ${target.dnsName}` +
      `${party.proxy ? ` via proxy ${party.proxy}` : ''}`,
  );

  const socket = new WebSocket(url, {
    agent: proxyUrl ? new HttpsProxyAgent(proxyUrl) : undefined,
    ...(options.ca ? { ca: options.ca } : extraCaTrust()),
    handshakeTimeout: timeoutMs,
    // The endpoint speaks plain RFC 6455, and SSH's bytes do not compress.
    perMessageDeflate: false,
    followRedirects: false,
  });

  return new Promise<TunnelStream>((resolve, reject) => {
    let settled = false;
    const fail = (err: unknown) => {
      if (settled) return;
      settled = true;
      cleanup();
      socket.terminate();
      reject(err);
    };
    const timer = setTimeout(() => fail(connectFailure(Object.assign(new Error('timed out'), { code: 'ETIMEDOUT' }), party, options.timeoutSeconds)), timeoutMs);
    const onAbort = () => fail(cancelled());
    const onError = (err: Error) => {
      log.debug(`WebSocket to ${target.dnsName} failed: ${(err as NodeJS.ErrnoException).code ?? ''} ${err.message}`);
      fail(connectFailure(err, party, options.timeoutSeconds));
    };
    const onResponse = (_req: unknown, res: IncomingMessage) => {
      const requestId = headerText(res.headers['x-amzn-requestid']);
      log.debug(`${target.dnsName} answered the handshake with HTTP ${res.statusCode ?? '?'}${requestId ? `, request id ${requestId}` : ''}`);
      readBody(res).then(
        (body) => fail(handshakeFailure({ status: res.statusCode ?? 0, body, requestId }, party)),
        () => fail(handshakeFailure({ status: res.statusCode ?? 0, body: '', requestId }, party)),
      );
    };
    const onUpgrade = (res: IncomingMessage) => {
      const requestId = headerText(res.headers['x-amzn-requestid']);
      if (requestId) log.debug(`OpenTunnel request id ${requestId}`);
    };
    const onOpen = () => {
      if (settled) return;
      settled = true;
      cleanup();
      const stream = new TunnelStream(socket, party, log);
      socket.removeListener('error', swallow);
      if (signal) {
        const abortOpen = () => stream.destroy(cancelled());
        signal.addEventListener('abort', abortOpen, { once: true });
        void stream.ended.then(() => signal.removeEventListener('abort', abortOpen));
      }
      log.debug(`tunnel through ${target.endpointId} open`);
      resolve(stream);
    };
    // Errors after a failed open (the handshake aborted by terminate) are already reported: kept from crashing the process.
    const swallow = () => undefined;
    function cleanup() {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      socket.removeListener('error', onError);
      socket.removeListener('unexpected-response', onResponse);
      socket.removeListener('upgrade', onUpgrade);
      socket.removeListener('open', onOpen);
      socket.on('error', swallow);
    }
    signal?.addEventListener('abort', onAbort, { once: true });
    socket.on('error', onError);
    socket.on('unexpected-response', onResponse);
    socket.on('upgrade', onUpgrade);
    socket.on('open', onOpen);
  });
}

function headerText(value: string | string[] | undefined): string | undefined {
  return (Array.isArray(value) ? value[0] : value) || undefined;
}

function readBody(res: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    res.on('data', (chunk: Buffer) => {
      if (size < maxErrorBodyBytes) chunks.push(chunk);
      size += chunk.length;
    });
    res.on('end', () => resolve(Buffer.concat(chunks).subarray(0, maxErrorBodyBytes).toString('utf8')));
    res.on('error', reject);
    res.on('aborted', () => reject(new Error('aborted')));
  });
}
