import { describeInstance } from '../../src/core/aws/instances';
import type { Ec2Instance } from '../../src/core/aws/model';
import { checkConnectable } from '../../src/core/connect/connectable';
import type { ConnectorDeps, ConnectRequest, ConnectTarget } from '../../src/core/connect/connector';
import { ProductError } from '../../src/core/errors/productError';
import type { ChannelOptions } from '../../src/core/ssh/session';
import { FakeChannel } from './fakeChannel';

/** A channel on a FakeConnection: closing it, or its end, tells the connection's holder (onDone), as SshChannel does. */
export class FakeSessionChannel extends FakeChannel {
  constructor(private readonly options: ChannelOptions) {
    super();
  }

  override close(): void {
    super.close();
    this.options.onDone?.();
  }

  /** The remote program exited. */
  exit(code: number): void {
    this.end({ kind: 'exit', code });
    this.options.onDone?.();
  }
}

/** An SSH connection with no socket, for the pool: channels open at once; `drop()` loses it. */
export class FakeConnection {
  readonly channels: FakeSessionChannel[] = [];
  ended = false;
  private closeListeners = new Set<(reason: unknown) => void>();

  constructor(readonly target: ConnectTarget) {}

  get closed(): boolean {
    return this.ended;
  }

  onClose(listener: (reason: unknown) => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  lostError(reason: unknown): ProductError {
    return reason instanceof ProductError ? reason : new ProductError('connectionLost', `The connection to ${this.target.host} was lost.`);
  }

  async shell(_size: unknown, options: ChannelOptions = {}): Promise<FakeSessionChannel> {
    const channel = new FakeSessionChannel(options);
    this.channels.push(channel);
    return channel;
  }

  async exec(_command: string, options: ChannelOptions = {}): Promise<FakeSessionChannel> {
    return this.shell(undefined, options);
  }

  end(): void {
    this.close(undefined);
  }

  /** The network dropped it. */
  drop(): void {
    this.close(new ProductError('connectionLost', `The connection to ${this.target.host} was lost.`));
  }

  private close(reason: unknown): void {
    if (this.ended) return;
    this.ended = true;
    for (const listener of [...this.closeListeners]) listener(reason);
    this.closeListeners.clear();
    for (const channel of this.channels) if (reason) channel.end({ kind: 'lost', error: this.lostError(reason) });
  }
}

/**
 * Connect's connector with no network: targets from the instance as given (or described with the deps' SDK
 * clients), every connection a FakeConnection it records. Passed as the core's `Connector` class.
 */
export class FakeConnector {
  readonly connections: FakeConnection[] = [];
  readonly osUsers = new Map<string, string>() as Map<string, string> & { remember(id: string, user: string): Promise<void> };
  readonly endpoints = {
    forInstance: async (instance: Ec2Instance) => {
      if (this.endpoint) return this.endpoint;
      throw new ProductError('noEndpoint', `There is no EC2 Instance Connect Endpoint in ${instance.vpcId}.`);
    },
    clear: () => {},
    forget: () => {},
  };
  /** The VPC's endpoint, when it has one. */
  endpoint?: { id: string; dnsName: string; vpcId: string; subnetId: string; state: string; region: string };
  /** Thrown by the next connectTo calls, in order. */
  failures: unknown[] = [];

  constructor(readonly deps: ConnectorDeps) {
    this.osUsers.remember = async (id, user) => void this.osUsers.set(id, user);
  }

  connectionTypeFor(): 'auto' {
    return 'auto';
  }

  async resolveInstance(ref: ConnectRequest['instance']): Promise<Ec2Instance> {
    if ('state' in ref) return ref;
    const target = { profile: ref.profile, region: ref.region };
    const found = await describeInstance(this.deps.aws().ec2Client(target), target, ref.instanceId);
    if (!found) throw new ProductError('instanceNotFound', `There is no instance ${ref.instanceId} in ${ref.region}.`);
    return found;
  }

  async resolveTarget(request: ConnectRequest): Promise<ConnectTarget> {
    const instance = await this.resolveInstance(request.instance);
    checkConnectable(instance);
    const osUser = request.osUser ?? this.osUsers.get(instance.instanceId) ?? 'ec2-user';
    const host = instance.publicIpv4 ?? instance.privateIpv4 ?? '';
    return { instance, host, port: 22, addressKind: 'public IPv4', connectionType: 'auto', osUser, osUserSource: request.osUser ? 'given' : 'default' } as ConnectTarget;
  }

  async connectTo(target: ConnectTarget): Promise<FakeConnection> {
    const failure = this.failures.shift();
    if (failure) throw failure;
    const connection = new FakeConnection(target);
    this.connections.push(connection);
    return connection;
  }

  openSession<T>(_target: ConnectTarget, _what: string, open: () => Promise<T>): Promise<T> {
    return open();
  }
}
