import type { AwsClients } from '../aws/clients';
import type { Ec2Instance } from '../aws/model';
import type { Logger } from '../base/log';
import type { ConnectionType } from '../base/settings';
import type { ConnectionPool } from '../connect/connectionPool';
import type { InstanceRef } from '../connect/connector';
import { resolveTunnel, tunnelOpener } from '../connect/openTunnel';
import { instanceDescription } from '../errors/activity';
import { isPortFree } from '../transport/localListener';
import { EndpointForward } from './endpointForward';
import { ChangeEmitter, type Forward, type ForwardInstance } from './forward';
import type { ForwardSpec } from './forwardSpec';
import { type ListeningPort, listeningPortsCommand, parseListeningPorts } from './listeningPorts';
import { SshForward } from './sshForward';

export interface ForwardsDeps {
  pool: ConnectionPool;
  aws(): AwsClients;
  /** The connect timeout, for the endpoint's tunnels. */
  connectTimeoutSeconds(): number;
  log: Logger;
}

export interface ForwardRequest {
  instance: InstanceRef;
  spec: ForwardSpec;
  osUser?: string;
  /** The instance's SSH port; default: the port setting. */
  port?: number;
  connectionType?: ConnectionType;
  endpointId?: string;
  chooseOsUser?(instance: Ec2Instance): Promise<string | undefined>;
  /** Try the remote side once before listening (see SshForwardOptions.probe); default true. */
  probe?: boolean;
}

export interface EndpointTunnelRequest {
  instance: Ec2Instance;
  remotePort: number;
  /** Where to listen here; port 0: any free one. */
  local: { host: string; port: number };
  /** Tunnels at once; default 4 (an RDP client opens one or two). */
  maxConnections?: number;
}

/**
 * The forwards running in this process, whichever way their bytes go, for the tree, the status bar and the
 * CLI. SSH forwards share the instance's connection from the pool with its terminals.
 */
export class Forwards {
  private readonly running = new Map<string, Forward>();
  private readonly changes = new ChangeEmitter();
  private readonly log: Logger;

  constructor(private readonly deps: ForwardsDeps) {
    this.log = deps.log.child('forwards');
  }

  list(): Forward[] {
    return [...this.running.values()];
  }

  forInstance(instanceId: string): Forward[] {
    return this.list().filter((forward) => forward.instance.instanceId === instanceId);
  }

  get(id: string): Forward | undefined {
    return this.running.get(id);
  }

  /** Called when a forward starts, stops or changes. */
  onDidChange(listener: () => void): () => void {
    return this.changes.on(listener);
  }

  /** `ssh -L` on the instance's shared connection. Resolves once listening and connected (or fails with why not). */
  async forwardPort(request: ForwardRequest): Promise<SshForward> {
    let osUser = request.osUser;
    let instance: InstanceRef = request.instance;
    const forward = await SshForward.start({
      spec: request.spec,
      instance: instanceOf(instance),
      probe: request.probe ?? true,
      log: this.deps.log,
      acquire: async (again) => {
        const lease = await this.deps.pool.acquire({
          instance,
          refresh: again,
          osUser,
          port: request.port,
          connectionType: request.connectionType,
          endpointId: request.endpointId,
          chooseOsUser: request.chooseOsUser,
        });
        // Later connections log in as the same user, to the instance as it was found.
        osUser = lease.target.osUser;
        instance = lease.target.instance;
        return lease;
      },
    });
    this.add(forward);
    return forward;
  }

  /** An Instance Connect Endpoint tunnel per local connection to the instance's port (RDP: 3389), no SSH. */
  async openEndpointTunnel(request: EndpointTunnelRequest): Promise<EndpointForward> {
    const { instance } = request;
    const aws = this.deps.aws();
    const resolved = await resolveTunnel(aws, this.deps.pool.connector.endpoints, {
      region: instance.region,
      profile: instance.profile,
      instanceId: instance.instanceId,
      remotePort: request.remotePort,
    });
    const forward = await EndpointForward.start({
      instance: instanceOf(instance),
      open: tunnelOpener(aws, resolved, instance.profile, { timeoutSeconds: this.deps.connectTimeoutSeconds(), log: this.log.child('tunnel') }),
      remote: { host: resolved.target.privateIp, port: request.remotePort },
      local: request.local,
      endpointId: resolved.target.endpointId,
      maxConnections: request.maxConnections ?? 4,
      log: this.deps.log,
    });
    this.add(forward);
    return forward;
  }

  /** The instance's listening TCP ports, from a command on its shared connection. */
  async listeningPorts(request: { instance: InstanceRef; osUser?: string; port?: number; chooseOsUser?(instance: Ec2Instance): Promise<string | undefined>; signal?: AbortSignal }): Promise<ListeningPort[]> {
    const { channel } = await this.deps.pool.exec({ ...request }, listeningPortsCommand);
    const output = await new Promise<string>((resolve) => {
      const chunks: Buffer[] = [];
      channel.onData((data, stream) => {
        if (stream === 'stdout') chunks.push(data);
      });
      channel.onEnd(() => resolve(Buffer.concat(chunks).toString('utf8')));
    });
    return parseListeningPorts(output);
  }

  async stop(id: string): Promise<void> {
    await this.running.get(id)?.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((forward) => forward.stop()));
  }

  private add(forward: Forward): void {
    this.running.set(forward.id, forward);
    const unsubscribe = forward.onDidChange(() => {
      if (forward.state === 'stopped') {
        unsubscribe();
        this.running.delete(forward.id);
      }
      this.changes.fire();
    });
    this.log.info(`${describeForward(forward)} started`);
    this.changes.fire();
  }
}

/** The preferred local port when it is free, else 0 (any free one): the editor's default. */
export async function freeLocalPort(host: string, preferred: number): Promise<number> {
  return (await isPortFree(host, preferred)) ? preferred : 0;
}

/** `127.0.0.1:18080 → localhost:8080 on web (i-…) in us-east-1`, for logs and the CLI. */
export function describeForward(forward: Forward): string {
  const via = forward instanceof EndpointForward ? ` through ${forward.endpointId}` : '';
  return `${forward.local.host}:${forward.local.port} → ${forward.remote.host}:${forward.remote.port} on ${instanceDescription(forward.instance)}${via}`;
}

function instanceOf(ref: InstanceRef): ForwardInstance {
  return { instanceId: ref.instanceId, region: ref.region, profile: ref.profile, name: 'name' in ref ? ref.name : undefined };
}
