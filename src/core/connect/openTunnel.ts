import type { Readable, Writable } from 'node:stream';

import type { AwsClients } from '../aws/clients';
import { describeInstance } from '../aws/instances';
import type { Ec2Instance } from '../aws/model';
import { describeThrown, type Logger } from '../base/log';
import type { EndpointDirectory } from '../eice/endpointDirectory';
import type { TunnelTarget } from '../eice/presign';
import { openTunnel, type TunnelStream } from '../eice/tunnel';
import { instanceDescription } from '../errors/activity';
import { ProductError } from '../errors/productError';
import { listenLocally } from '../transport/localListener';
import { relay } from '../transport/relay';

/** What `ec2ic open-tunnel` was asked for: AWS CLI v2's options. */
export interface TunnelRequest {
  region: string;
  profile?: string;
  instanceId?: string;
  /** With an endpoint id: no DescribeInstances. */
  privateIp?: string;
  endpointId?: string;
  /** With an endpoint id: no DescribeInstanceConnectEndpoints. */
  dnsName?: string;
  remotePort: number;
  maxTunnelDurationSeconds?: number;
  signal?: AbortSignal;
}

/** The tunnel's far end, found as AWS CLI v2 finds it, and how messages name it. */
export interface ResolvedTunnel {
  target: TunnelTarget;
  who: string;
}

/**
 * AWS CLI v2's `open-tunnel` resolution: the instance's private address, VPC and subnet from
 * DescribeInstances (unless a private IP is given), then the endpoint (unless its DNS name is given): the
 * one named, else the one in the instance's subnet, else one in its VPC.
 */
export async function resolveTunnel(aws: AwsClients, endpoints: EndpointDirectory, request: TunnelRequest): Promise<ResolvedTunnel> {
  const target = { profile: request.profile, region: request.region };
  let instance: Ec2Instance | undefined;
  if (!request.privateIp) {
    if (!request.instanceId) throw new ProductError('badInput', 'Name the instance (--instance-id), or its private IP address and endpoint.');
    instance = await describeInstance(aws.ec2Client(target), target, request.instanceId, request.signal);
    if (!instance) throw new ProductError('instanceNotFound', `There is no instance ${request.instanceId} in ${request.region}.`);
    if (instance.state !== 'running') {
      throw new ProductError('instanceNotRunning', `${instanceDescription(instance)} is ${instance.state}: a tunnel reaches only a running instance.`, { state: instance.state });
    }
    if (!instance.privateIpv4) throw new ProductError('noAddress', `${instanceDescription(instance)} has no private IPv4 address for a tunnel to reach.`);
  }
  const privateIp = request.privateIp ?? instance!.privateIpv4!;
  const who = instance ? instanceDescription(instance) : `${privateIp} in ${request.region}`;
  if (request.dnsName && request.endpointId) {
    return { who, target: { dnsName: request.dnsName, endpointId: request.endpointId, region: request.region, privateIp, remotePort: request.remotePort, maxTunnelDurationSeconds: request.maxTunnelDurationSeconds } };
  }
  const placed = instance ?? { instanceId: request.instanceId ?? privateIp, region: request.region, profile: request.profile };
  const endpoint = await endpoints.forInstance(placed, { endpointId: request.endpointId, signal: request.signal });
  return {
    who,
    target: { dnsName: endpoint.dnsName, endpointId: endpoint.id, region: endpoint.region, privateIp, remotePort: request.remotePort, maxTunnelDurationSeconds: request.maxTunnelDurationSeconds },
  };
}

export interface TunnelOpener {
  (signal?: AbortSignal): Promise<TunnelStream>;
}

/** A fresh, freshly signed tunnel each time it is called. */
export function tunnelOpener(aws: AwsClients, resolved: ResolvedTunnel, profile: string | undefined, options: { timeoutSeconds: number; log: Logger }): TunnelOpener {
  return (signal) =>
    openTunnel({ target: resolved.target, credentials: aws.credentialProvider(profile), who: resolved.who, timeoutSeconds: options.timeoutSeconds, log: options.log, signal });
}

/** One tunnel, relayed over stdin and stdout (an OpenSSH ProxyCommand); resolves when it closes. */
export async function relayOneTunnel(open: TunnelOpener, io: { input: Readable; output: Writable }): Promise<void> {
  await relay(await open(), io.input, io.output);
}

export interface TunnelListener {
  /** "127.0.0.1:PORT" */
  readonly address: string;
  readonly port: number;
  /** Tunnels open now. */
  readonly open: number;
  close(): Promise<void>;
}

export interface TunnelListenOptions {
  port: number;
  /** Default 127.0.0.1. */
  host?: string;
  maxConnections: number;
  log: Logger;
  /** Each tunnel's outcome once it opened (undefined) or failed (why). */
  onTunnel?(failure: unknown): void;
  /** Tunnels opened or closed. */
  onChange?(): void;
}

/**
 * `--local-port`: listens on localhost and opens one tunnel per accepted connection, at most
 * `maxConnections` at once (AWS CLI v2's --max-websocket-connections; an endpoint allows 20 in all). A
 * connection beyond that, or one whose tunnel fails, is closed and the reason logged; the listener goes on.
 */
export async function listenForTunnels(open: TunnelOpener, options: TunnelListenOptions): Promise<TunnelListener> {
  const { log } = options;
  let tunnels = 0;
  const listener = await listenLocally(options.host ?? '127.0.0.1', options.port, (socket) => {
    socket.on('error', () => {});
    if (tunnels >= options.maxConnections) {
      log.warn(`refused a connection: ${options.maxConnections} tunnels are open (--max-websocket-connections)`);
      socket.destroy();
      return;
    }
    tunnels++;
    // Interactive traffic (an ssh session, RDP): small writes go at once, as the tunnel sends them.
    socket.setNoDelay(true);
    socket.pause();
    const controller = new AbortController();
    socket.once('close', () => controller.abort());
    options.onChange?.();
    open(controller.signal)
      .then((tunnel) => {
        log.info(`tunnel open for ${socket.remoteAddress}:${socket.remotePort}`);
        options.onTunnel?.(undefined);
        socket.resume();
        return relay(tunnel, socket, socket).catch((err: unknown) => log.warn(`tunnel ended: ${describeThrown(err)}`));
      })
      .catch((err: unknown) => {
        log.error(`could not open a tunnel: ${describeThrown(err)}`);
        options.onTunnel?.(err);
        socket.destroy();
      })
      .finally(() => {
        tunnels--;
        options.onChange?.();
      });
  });
  return {
    address: `${listener.host}:${listener.port}`,
    port: listener.port,
    get open() {
      return tunnels;
    },
    close: () => listener.close(),
  };
}

