// One Instance Connect Endpoint's server: TLS, a WebSocket on /openTunnel with a presigned SigV4 URL, and
// the raw TCP stream of the asked-for instance's port in binary frames, as AWS CLI v2's open-tunnel speaks it.
// A refused handshake is an HTTP status with a JSON body `{"ErrorCode","Message"}` and x-amzn-requestid; a
// failure after the upgrade is a close frame with a code other than 1000 and a reason.
import { randomUUID } from 'node:crypto';
import { type IncomingMessage, STATUS_CODES } from 'node:http';
import { createServer, type Server } from 'node:https';
import { connect, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';

import { type WebSocket, WebSocketServer } from 'ws';

import { inCidr, type InstanceRecord, type Vpc } from './account';
import type { TlsIdentity } from './ca';
import { type SignatureCheck, verifyPresigned } from './sigv4';
import type { TunnelFaults } from './tunnel-faults';

/** How much of an instance's output may wait to go out to the client before the relay stops reading it. */
const RELAY_WINDOW_BYTES = 1024 * 1024;
/** What open-tunnel sends at most in a frame; the sandbox sends no more either. */
export const MAX_FRAME_BYTES = 65_000;
/** AWS's ceiling for maxTunnelDuration, and its default. */
export const MAX_TUNNEL_DURATION_S = 3600;

/** Close codes and reasons after the upgrade. The reasons beyond "Unable to connect to target" are the sandbox's guesses. */
export const CLOSE = {
  unreachable: { code: 1011, reason: 'Unable to connect to target' },
  duration: { code: 1001, reason: 'Maximum tunnel duration reached' },
  textFrame: { code: 1003, reason: 'Text frames are not supported' },
};

export interface TunnelEndpoint {
  instanceConnectEndpointId: string;
  region: string;
  vpc: Vpc;
}

export interface TunnelServerOptions {
  endpoint: TunnelEndpoint;
  tls: TlsIdentity;
  host: string;
  /** 0: a free port. */
  port: number;
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The instance with this private IP in the endpoint's VPC. */
  instanceAt: (privateIp: string) => InstanceRecord | undefined;
  /** The port every instance's sshd listens on. */
  sshPort: number;
  maxConnections: number;
  maxDurationSeconds: number;
  faults: TunnelFaults;
  log: (line: string) => void;
}

class Refusal {
  constructor(readonly status: number, readonly errorCode: string, readonly message: string) {}
}

const invalid = (message: string): Refusal => new Refusal(400, 'InvalidParameter', message);

function signatureRefusal(check: Extract<SignatureCheck, { ok: false }>): Refusal {
  switch (check.problem) {
    case 'missing': return new Refusal(403, 'MissingAuthenticationToken', check.message);
    case 'malformed': return new Refusal(403, 'IncompleteSignature', check.message);
    case 'unknownKey': return new Refusal(403, 'InvalidClientTokenId', check.message);
    case 'expired': return new Refusal(403, 'RequestExpired', check.message);
    case 'mismatch': return new Refusal(403, 'SignatureDoesNotMatch', check.message);
  }
}

interface Tunnel {
  target: { host: string; port: number } | undefined;
  durationSeconds: number;
}

export class TunnelServer {
  private readonly server: Server;
  private readonly wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });
  private readonly sockets = new Set<WebSocket>();
  private active = 0;
  total = 0;
  port = 0;

  constructor(private readonly options: TunnelServerOptions) {
    this.server = createServer({ key: options.tls.key, cert: options.tls.cert }, (request, response) => {
      // Not a WebSocket upgrade.
      const body = JSON.stringify({ ErrorCode: 'InvalidParameter', Message: 'Expected a WebSocket upgrade request on /openTunnel.' });
      response.writeHead(400, { 'content-type': 'application/json', 'x-amzn-requestid': randomUUID() });
      response.end(body);
      request.resume();
    });
    this.server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
      this.upgrade(request, socket, head).catch((error: Error) => {
        options.log(`tunnel ${options.endpoint.instanceConnectEndpointId}: internal error ${error.stack ?? error.message}`);
        socket.destroy();
      });
    });
    this.server.on('tlsClientError', () => undefined);
  }

  get host(): string {
    return this.options.host;
  }

  get open(): number {
    return this.active;
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.options.port, this.options.host, () => resolve());
    });
    const address = this.server.address();
    this.port = typeof address === 'object' && address ? address.port : this.options.port;
  }

  /** Cuts every tunnel (no close frame, as when the endpoint goes away) and stops listening. */
  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.closeSync();
    await closed;
  }

  closeSync(): void {
    for (const socket of this.sockets) socket.terminate();
    this.server.closeAllConnections();
    if (this.server.listening) this.server.close();
  }

  private async upgrade(request: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const requestId = randomUUID();
    const id = this.options.endpoint.instanceConnectEndpointId;
    let tunnel: Tunnel;
    try {
      tunnel = await this.admit(request);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      const body = JSON.stringify({ ErrorCode: error.errorCode, Message: error.message });
      socket.end([
        `HTTP/1.1 ${error.status} ${STATUS_CODES[error.status] ?? ''}`,
        'Content-Type: application/json',
        `Content-Length: ${Buffer.byteLength(body)}`,
        `x-amzn-requestid: ${requestId}`,
        'Connection: close',
        '',
        body,
      ].join('\r\n'));
      this.options.log(`tunnel ${id} → ${error.status} ${error.errorCode}`);
      return;
    }
    // Counted from here, so that tunnels being set up take their place under the limit.
    this.active++;
    this.total++;
    this.wss.handleUpgrade(request, socket, head, (ws) => this.relay(ws, tunnel));
  }

  /** The URL's checks in the order the service is likely to make them: where, who, what, how many. */
  private async admit(request: IncomingMessage): Promise<Tunnel> {
    const { endpoint } = this.options;
    const url = new URL(request.url ?? '/', 'https://endpoint');
    if (url.pathname !== '/openTunnel') throw new Refusal(404, 'NotFound', `No route for ${url.pathname}`);
    const check = await verifyPresigned(
      { method: request.method ?? 'GET', host: request.headers.host ?? '', path: url.pathname, query: url.searchParams },
      this.options.credentials,
    );
    if (!check.ok) throw signatureRefusal(check);
    if (check.service !== 'ec2-instance-connect' || check.region !== endpoint.region) {
      throw new Refusal(403, 'SignatureDoesNotMatch', `Credential should be scoped to a valid region and to service 'ec2-instance-connect', not '${check.region}/${check.service}'.`);
    }
    const params = url.searchParams;
    if (params.get('instanceConnectEndpointId') !== endpoint.instanceConnectEndpointId) {
      throw invalid('The specified InstanceConnectEndpointId is not valid. Specify the ID of the endpoint you are connecting to and retry your request.');
    }
    const remotePort = params.get('remotePort');
    if (remotePort !== '22' && remotePort !== '3389') {
      throw invalid('The specified RemotePort is not valid. Specify either 22 or 3389 as the RemotePort and retry your request.');
    }
    const privateIp = params.get('privateIpAddress') ?? '';
    if (!inCidr(privateIp, endpoint.vpc.cidr)) {
      throw invalid('The specified PrivateIpAddress is not valid. Specify a private IP address in the VPC of the EC2 Instance Connect Endpoint and retry your request.');
    }
    const durationParam = params.get('maxTunnelDuration');
    const requested = durationParam === null ? MAX_TUNNEL_DURATION_S : Number(durationParam);
    if (!/^\d+$/.test(durationParam ?? '1') || requested < 1 || requested > MAX_TUNNEL_DURATION_S) {
      throw invalid(`The specified MaxTunnelDuration is not valid. Specify a value between 1 and ${MAX_TUNNEL_DURATION_S} seconds and retry your request.`);
    }
    if (this.active >= this.options.maxConnections) {
      throw new Refusal(429, 'TooManyConnections', `The EC2 Instance Connect Endpoint has reached its limit of ${this.options.maxConnections} concurrent connections. Close a connection and retry your request.`);
    }
    const fault = this.options.faults.take(endpoint.instanceConnectEndpointId, 'handshakeStatus');
    if (fault) throw new Refusal(fault.handshakeStatus, fault.errorCode, fault.message);
    const instance = this.options.instanceAt(privateIp);
    const port = remotePort === '22' ? this.options.sshPort : 3389;
    return {
      target: instance?.address && instance.state !== 'terminated' ? { host: instance.address, port } : undefined,
      durationSeconds: Math.min(requested, this.options.maxDurationSeconds),
    };
  }

  private relay(ws: WebSocket, tunnel: Tunnel): void {
    const id = this.options.endpoint.instanceConnectEndpointId;
    this.sockets.add(ws);
    const timers: NodeJS.Timeout[] = [];
    // Set once the target is dialled; the closures below may run before.
    const link: { target?: Socket } = {};
    const closeWith = ({ code, reason }: { code: number; reason: string }): void => {
      link.target?.destroy();
      // Read again (the relay pauses the client while the target is dialled, or slow): the client's answering
      // close frame must be read for the closing handshake to end now rather than at ws's 30 s timeout.
      ws.resume();
      if (ws.readyState === ws.OPEN) ws.close(code, reason);
    };
    ws.once('close', (code) => {
      this.sockets.delete(ws);
      this.active--;
      for (const timer of timers) clearTimeout(timer);
      link.target?.destroy();
      this.options.log(`tunnel ${id} closed (${code})`);
    });
    ws.on('error', () => link.target?.destroy());

    const closeFault = this.options.faults.take(id, 'closeCode');
    if (closeFault) {
      closeWith({ code: closeFault.closeCode, reason: closeFault.closeReason });
      return;
    }
    const cut = this.options.faults.take(id, 'cutAfterSeconds');
    if (cut) {
      timers.push(setTimeout(() => {
        link.target?.destroy();
        ws.terminate();
      }, cut.cutAfterSeconds * 1000));
    }
    timers.push(setTimeout(() => closeWith(CLOSE.duration), tunnel.durationSeconds * 1000));
    if (!tunnel.target) {
      closeWith(CLOSE.unreachable);
      return;
    }

    // Nothing is read from the client until the target answers, then each side waits for the other to take it.
    ws.pause();
    const socket = connect(tunnel.target);
    link.target = socket;
    let connected = false;
    socket.once('connect', () => {
      connected = true;
      // SSH's small packets (keystrokes, window adjustments) go at once, as AWS's endpoint does not batch them.
      socket.setNoDelay(true);
      ws.resume();
    });
    socket.on('error', () => {
      if (!connected) closeWith(CLOSE.unreachable);
    });
    socket.on('close', () => {
      if (connected) closeWith({ code: 1000, reason: '' });
    });
    // Reading from the instance stops while more than a window's worth waits to go out to the client, and goes on
    // once it has gone: one chunk at a time would make every chunk wait for the client to read (a wait between
    // processes each time, a tenth of the speed of a direct connection).
    const sent = (): void => {
      if (socket.isPaused() && ws.bufferedAmount < RELAY_WINDOW_BYTES) socket.resume();
    };
    socket.on('data', (chunk: Buffer) => {
      for (let offset = 0; offset < chunk.length; offset += MAX_FRAME_BYTES) {
        ws.send(chunk.subarray(offset, offset + MAX_FRAME_BYTES), { binary: true }, sent);
      }
      if (ws.bufferedAmount >= RELAY_WINDOW_BYTES) socket.pause();
    });
    ws.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) {
        closeWith(CLOSE.textFrame);
        return;
      }
      if (socket.destroyed) return;
      if (!socket.write(data)) {
        ws.pause();
        socket.once('drain', () => ws.resume());
      }
    });
  }
}
