/** What the tree, the status bar and the CLI show of a forward, whichever way its bytes go. */
export interface ForwardInstance {
  instanceId: string;
  region: string;
  profile?: string;
  /** The Name tag. Untrusted: plain text only. */
  name?: string;
}

/**
 * - `open`: listening, and the instance's side worked last time (or was not tried yet);
 * - `connecting`: a local connection is waiting for the instance's connection to open (again);
 * - `dropped`: the instance's connection was lost; the next local connection opens it again;
 * - `failed`: opening it again failed (`problem` says why); the next local connection tries again;
 * - `stopped`: no longer listening.
 */
export type ForwardState = 'open' | 'connecting' | 'dropped' | 'failed' | 'stopped';

export interface Forward {
  readonly id: string;
  readonly instance: ForwardInstance;
  /** `ssh`: a channel on the instance's SSH connection; `endpoint`: a tunnel of its own through an Instance Connect Endpoint (RDP). */
  readonly kind: 'ssh' | 'endpoint';
  /** Where it listens here (the port actually bound). */
  readonly local: { host: string; port: number };
  /** As the instance reaches it. */
  readonly remote: { host: string; port: number };
  readonly state: ForwardState;
  /** Why the last attempt failed, or a warning (nothing listens there yet): plain words. */
  readonly problem?: string;
  /** Local connections open now, and accepted since it started. */
  readonly connections: { open: number; total: number };
  /** Called on every change of state, problem or connections. Returns an unsubscribe. */
  onDidChange(listener: () => void): () => void;
  /** Stops listening, closes its connections and lets the instance's connection go. Idempotent. */
  stop(): Promise<void>;
}

/** Change listeners, for the classes that implement Forward. */
export class ChangeEmitter {
  private readonly listeners = new Set<() => void>();

  on(listener: () => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  fire(): void {
    for (const listener of [...this.listeners]) listener();
  }
}

let nextId = 1;

/** A process-wide id for a forward: `forward-1`, `forward-2`, … */
export function newForwardId(): string {
  return `forward-${nextId++}`;
}

/**
 * What every kind of forward shares: its id, what it forwards, its state and problem, and its change events.
 * A kind says where it listens and how many connections it has, and closes what it holds (close()).
 */
export abstract class ForwardBase implements Forward {
  readonly id = newForwardId();
  abstract readonly kind: Forward['kind'];
  protected current: ForwardState = 'open';
  protected currentProblem?: string;
  protected readonly changes = new ChangeEmitter();

  protected constructor(
    readonly instance: ForwardInstance,
    readonly remote: { host: string; port: number },
  ) {}

  abstract get local(): { host: string; port: number };

  abstract get connections(): { open: number; total: number };

  get state(): ForwardState {
    return this.current;
  }

  get problem(): string | undefined {
    return this.currentProblem;
  }

  onDidChange(listener: () => void): () => void {
    return this.changes.on(listener);
  }

  async stop(): Promise<void> {
    if (this.current === 'stopped') return;
    this.set('stopped', undefined);
    await this.close();
  }

  /** Stops listening and lets go of what it holds: once, from stop(). */
  protected abstract close(): Promise<void>;

  /** A new state and problem, said to the listeners; nothing changes once stopped. */
  protected set(state: ForwardState, problem: string | undefined): void {
    if (this.current === 'stopped') return;
    this.current = state;
    this.currentProblem = problem;
    this.changes.fire();
  }
}
