// The account's EC2 Instance Connect Endpoints: their records as EC2 describes them, and their lifecycle.
// A created endpoint is `create-in-progress` for a while, then its server starts and it is `create-complete`;
// a deleted one's server stops at once, and it is `delete-in-progress`, then `delete-complete` (still listed).
import type { Vpc } from './account';
import { randomHex } from './ids';
import type { TunnelServer } from './tunnel-server';

export type EndpointState = 'create-in-progress' | 'create-complete' | 'create-failed' | 'delete-in-progress' | 'delete-complete';

export interface EndpointRecord {
  instanceConnectEndpointId: string;
  region: string;
  vpc: Vpc;
  subnetId: string;
  availabilityZone: string;
  dnsName: string;
  fipsDnsName: string;
  state: EndpointState;
  stateMessage: string;
  createdAt: Date;
  preserveClientIp: boolean;
  securityGroupIds: string[];
  networkInterfaceId: string;
  tags: [string, string][];
  clientToken?: string;
  /** What the create call asked for, to tell a retry with the same ClientToken from a different request. */
  request?: string;
}

export interface EndpointSpec {
  vpc: Vpc;
  subnetId: string;
  preserveClientIp: boolean;
  securityGroupIds: string[];
  tags: [string, string][];
  clientToken?: string;
  request?: string;
  createdAt?: Date;
}

export interface RegistryOptions {
  /** How long create-in-progress and delete-in-progress last. */
  transitionMs: number;
  /** Starts the endpoint's server (its address, certificate, /etc/hosts line). */
  startServer: (record: EndpointRecord) => Promise<TunnelServer>;
  /** Stops it again. */
  stopServer: (record: EndpointRecord, server: TunnelServer) => Promise<void>;
  log: (line: string) => void;
}

export class EndpointRegistry {
  readonly records: EndpointRecord[] = [];
  readonly servers = new Map<string, TunnelServer>();
  /** Every server an endpoint had (a deleted one's too), for its tunnel counts. */
  private readonly started = new Map<string, TunnelServer>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private closed = false;

  constructor(private readonly options: RegistryOptions) {}

  inRegion(region: string): EndpointRecord[] {
    return this.records.filter((record) => record.region === region);
  }

  find(region: string, id: string): EndpointRecord | undefined {
    return this.records.find((record) => record.region === region && record.instanceConnectEndpointId === id);
  }

  /** Records an endpoint that exists from the start, and starts its server. */
  async addExisting(spec: EndpointSpec): Promise<EndpointRecord> {
    const record = this.newRecord(spec, 'create-complete');
    this.serve(record, await this.options.startServer(record));
    return record;
  }

  /** Tunnels open now and opened so far; undefined for an endpoint that does not exist. */
  connections(id: string): { open: number; total: number } | undefined {
    if (!this.records.some((record) => record.instanceConnectEndpointId === id)) return undefined;
    const server = this.started.get(id);
    return { open: server?.open ?? 0, total: server?.total ?? 0 };
  }

  create(spec: EndpointSpec): EndpointRecord {
    const record = this.newRecord(spec, 'create-in-progress');
    this.later(async () => {
      if (record.state !== 'create-in-progress') return;
      try {
        const server = await this.options.startServer(record);
        // Deleted, or the sandbox stopped, while the server was starting.
        if (this.closed || record.state !== 'create-in-progress') {
          await this.options.stopServer(record, server);
          return;
        }
        this.serve(record, server);
        this.setState(record, 'create-complete');
      } catch (error) {
        record.stateMessage = (error as Error).message;
        this.setState(record, 'create-failed');
      }
    });
    return record;
  }

  delete(record: EndpointRecord): void {
    if (record.state === 'delete-in-progress' || record.state === 'delete-complete') return;
    this.setState(record, 'delete-in-progress');
    const server = this.servers.get(record.instanceConnectEndpointId);
    this.servers.delete(record.instanceConnectEndpointId);
    const stopped = server ? this.options.stopServer(record, server) : Promise.resolve();
    this.later(async () => {
      await stopped;
      this.setState(record, 'delete-complete');
    });
  }

  async close(): Promise<void> {
    this.closed = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    await Promise.all([...this.records].flatMap((record) => {
      const server = this.servers.get(record.instanceConnectEndpointId);
      return server ? [this.options.stopServer(record, server)] : [];
    }));
    this.servers.clear();
  }

  /** On process exit, where nothing asynchronous runs any more. */
  closeSync(): void {
    this.closed = true;
    for (const server of this.servers.values()) server.closeSync();
  }

  private serve(record: EndpointRecord, server: TunnelServer): void {
    this.servers.set(record.instanceConnectEndpointId, server);
    this.started.set(record.instanceConnectEndpointId, server);
  }

  private newRecord(spec: EndpointSpec, state: EndpointState): EndpointRecord {
    const id = `eice-${randomHex(17)}`;
    const hash = randomHex(8);
    const subnet = spec.vpc.subnets.find((candidate) => candidate.subnetId === spec.subnetId)!;
    const record: EndpointRecord = {
      instanceConnectEndpointId: id,
      region: spec.vpc.region,
      vpc: spec.vpc,
      subnetId: subnet.subnetId,
      availabilityZone: subnet.availabilityZone,
      dnsName: `${id}.${hash}.ec2-instance-connect-endpoint.${spec.vpc.region}.amazonaws.com`,
      fipsDnsName: `${id}.${hash}.fips.ec2-instance-connect-endpoint.${spec.vpc.region}.amazonaws.com`,
      state,
      stateMessage: '',
      createdAt: spec.createdAt ?? new Date(),
      preserveClientIp: spec.preserveClientIp,
      securityGroupIds: spec.securityGroupIds,
      networkInterfaceId: `eni-${randomHex(17)}`,
      tags: spec.tags,
      clientToken: spec.clientToken,
      request: spec.request,
    };
    this.records.push(record);
    return record;
  }

  private setState(record: EndpointRecord, state: EndpointState): void {
    this.options.log(`${record.instanceConnectEndpointId} ${record.state} → ${state}`);
    record.state = state;
  }

  private later(action: () => Promise<void>): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      if (!this.closed) void action();
    }, this.options.transitionMs);
    this.timers.add(timer);
  }
}
