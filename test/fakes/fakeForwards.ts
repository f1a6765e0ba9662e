import { ChangeEmitter, type Forward, type ForwardInstance, type ForwardState } from '../../src/core/forward/forward';
import type { ForwardsDeps } from '../../src/core/forward/forwards';
import type { EndpointTunnelRequest, ForwardRequest } from '../../src/core/forward/forwards';
import type { ListeningPort } from '../../src/core/forward/listeningPorts';

let nextId = 1;

/** A forward the test drives: set its state, problem and connections as the real ones change theirs. */
export class FakeForward implements Forward {
  readonly id = `fake-forward-${nextId++}`;
  state: ForwardState = 'open';
  problem?: string;
  connections = { open: 0, total: 0 };
  endpointId?: string;
  private readonly changes = new ChangeEmitter();

  constructor(
    readonly kind: 'ssh' | 'endpoint',
    readonly instance: ForwardInstance,
    readonly local: { host: string; port: number },
    readonly remote: { host: string; port: number },
  ) {}

  onDidChange(listener: () => void): () => void {
    return this.changes.on(listener);
  }

  /** What the real forwards do when their state, problem or connections change. */
  set(changes: { state?: ForwardState; problem?: string; open?: number }): void {
    if (changes.state) this.state = changes.state;
    if ('problem' in changes) this.problem = changes.problem;
    if (changes.open !== undefined) this.connections = { open: changes.open, total: this.connections.total + Math.max(0, changes.open - this.connections.open) };
    this.changes.fire();
  }

  async stop(): Promise<void> {
    if (this.state === 'stopped') return;
    this.set({ state: 'stopped' });
  }
}

/**
 * The Forwards registry with no sockets: it records what it is asked, starts FakeForwards (or fails as told),
 * and answers listeningPorts from `ports`. Passed as the core's `Forwards` class.
 */
export class FakeForwards {
  readonly requests: ForwardRequest[] = [];
  readonly tunnelRequests: EndpointTunnelRequest[] = [];
  readonly listed: { instanceId: string; osUser?: string }[] = [];
  /** What listeningPorts answers, or throws. */
  ports: ListeningPort[] | Error = [];
  /** Failures of the next forwardPort / openEndpointTunnel calls, in order (undefined: it starts). */
  failures: unknown[] = [];
  /** The problem the next started forward has (its probe was refused). */
  problem?: string;
  private readonly running = new Map<string, FakeForward>();
  private readonly changes = new ChangeEmitter();

  constructor(readonly deps: ForwardsDeps) {}

  list(): Forward[] {
    return [...this.running.values()];
  }

  forInstance(instanceId: string): Forward[] {
    return this.list().filter((f) => f.instance.instanceId === instanceId);
  }

  get(id: string): Forward | undefined {
    return this.running.get(id);
  }

  onDidChange(listener: () => void): () => void {
    return this.changes.on(listener);
  }

  async forwardPort(request: ForwardRequest): Promise<FakeForward> {
    this.requests.push(request);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const { spec } = request;
    const forward = new FakeForward('ssh', instanceOf(request.instance), { host: spec.bindAddress, port: spec.localPort || 41000 + this.requests.length }, { host: spec.remoteHost, port: spec.remotePort });
    forward.problem = this.problem;
    this.add(forward);
    return forward;
  }

  async openEndpointTunnel(request: EndpointTunnelRequest): Promise<FakeForward> {
    this.tunnelRequests.push(request);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const forward = new FakeForward('endpoint', instanceOf(request.instance), { host: request.local.host, port: request.local.port || 42000 }, { host: request.instance.privateIpv4 ?? '', port: request.remotePort });
    forward.endpointId = 'eice-0123456789abcdef0';
    this.add(forward);
    return forward;
  }

  async listeningPorts(request: { instance: { instanceId: string }; osUser?: string }): Promise<ListeningPort[]> {
    this.listed.push({ instanceId: request.instance.instanceId, osUser: request.osUser });
    if (this.ports instanceof Error) throw this.ports;
    return this.ports;
  }

  async stop(id: string): Promise<void> {
    await this.running.get(id)?.stop();
  }

  async stopAll(): Promise<void> {
    await Promise.all(this.list().map((f) => f.stop()));
  }

  private add(forward: FakeForward): void {
    this.running.set(forward.id, forward);
    const unsubscribe = forward.onDidChange(() => {
      if (forward.state === 'stopped') {
        unsubscribe();
        this.running.delete(forward.id);
      }
      this.changes.fire();
    });
    this.changes.fire();
  }
}

function instanceOf(ref: ForwardRequest['instance']): ForwardInstance {
  return { instanceId: ref.instanceId, region: ref.region, profile: ref.profile, name: 'name' in ref ? ref.name : undefined };
}
