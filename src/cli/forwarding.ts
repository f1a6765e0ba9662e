import type { Ec2Instance } from '../core/aws/model';
import { type ConnectionType, defaultSettings } from '../core/base/settings';
import type { KeyValueStore } from '../core/base/store';
import { instanceDescription } from '../core/errors/activity';
import { isProductError } from '../core/errors/productError';
import { inCliWords } from '../core/errors/settingNames';
import type { Forward, ForwardState } from '../core/forward/forward';
import type { Forwards } from '../core/forward/forwards';
import { type ForwardSpec, hostPort, parseForwardSpec } from '../core/forward/forwardSpec';
import type { loadCore } from '../core/load';
import { UsageError } from './args';
import { stderrLogger } from './logger';
import { askMfaCodeOnTerminal } from './mfaPrompt';

/**
 * The forwards a command line asks for (OpenSSH's -L syntax), checked before anything is looked up or
 * connected: a malformed one, or the same local port twice, is a usage error that names it.
 */
export function forwardSpecs(texts: string[]): ForwardSpec[] {
  const specs = texts.map((text) => {
    try {
      return parseForwardSpec(text);
    } catch (err) {
      // Its message ends with an example; the usage line adds where to read more.
      if (isProductError(err, 'badInput')) throw new UsageError(err.message.replace(/\.$/, ''));
      throw err;
    }
  });
  specs.forEach((spec, i) => {
    const earlier = specs.findIndex((other) => other.localPort !== 0 && other.localPort === spec.localPort && sameListenAddress(other.bindAddress, spec.bindAddress));
    if (earlier !== -1 && earlier < i) throw new UsageError(`"${texts[earlier]}" and "${texts[i]}" both listen on local port ${spec.localPort}: give each forward its own port (0: any free one)`);
  });
  return specs;
}

/** Two listeners on the same port clash when their addresses are the same, or one is every address. */
function sameListenAddress(a: string, b: string): boolean {
  const any = (host: string) => host === '0.0.0.0' || host === '::';
  return a === b || any(a) || any(b);
}

export interface ForwardSessionOptions {
  store: KeyValueStore;
  /** The custom API endpoint (--endpoint), if any. */
  endpoint?: string;
  connectTimeoutSeconds: number;
  /** The instance's SSH port (--port). */
  port?: number;
  debug: boolean;
}

/**
 * What `ec2ic forward` and `ec2ic ssh -L` run on: one SSH connection to the instance, from a pool that ends it
 * as soon as nothing holds it (linger 0: the process ends then), shared by the forwards and the shell.
 */
export function forwardSession(core: ReturnType<typeof loadCore>, options: ForwardSessionOptions) {
  const log = stderrLogger(options.debug);
  const aws = new core.AwsClients({ endpoint: options.endpoint, mfaCodeProvider: askMfaCodeOnTerminal });
  const { connectTimeoutSeconds } = options;
  const connector = new core.Connector({
    aws: () => aws,
    store: options.store,
    // The pool's requests carry no port: --port reaches the forwards' connection through the setting.
    settings: () => ({ ...defaultSettings, connectTimeoutSeconds, port: options.port ?? defaultSettings.port }),
    log,
  });
  const pool = new core.ConnectionPool({ connector, lingerSeconds: 0, log });
  // The forwards' own warnings (each failed local connection) are said by reportForwardChanges instead, once per change.
  const forwards = new core.Forwards({ pool, aws: () => aws, connectTimeoutSeconds: () => connectTimeoutSeconds, log: stderrLogger(options.debug, { warnings: false }) });
  return {
    connector,
    pool,
    forwards,
    /** Stops the forwards, ends the connection, and lets the process exit (the SDK keeps its connections for reuse). */
    close: async () => {
      await forwards.stopAll();
      pool.dispose();
      aws.reset();
    },
  };
}

export type ForwardSession = ReturnType<typeof forwardSession>;

/** What the forwards of one command share: the instance (looked up once) and how to log in and reach it. */
export interface ForwardTarget {
  instance: Ec2Instance;
  osUser?: string;
  connectionType?: ConnectionType;
  endpointId?: string;
}

/**
 * Starts each forward in turn on the instance's one shared connection (the first opens it), each tried once
 * on the instance's side: a refusal to forward at all fails here; nothing listening there yet is the
 * forward's `problem`. A failure leaves the ones started before running: the caller stops them all.
 */
export async function startForwards(forwards: Forwards, specs: ForwardSpec[], target: ForwardTarget): Promise<Forward[]> {
  const started: Forward[] = [];
  for (const spec of specs) started.push(await forwards.forwardPort({ ...target, spec, probe: true }));
  return started;
}

/** `127.0.0.1:18080 → localhost:8080` (IPv6 addresses in brackets), as a browser or a client takes the local side. */
export function forwardText(forward: Pick<Forward, 'local' | 'remote'>): string {
  return `${hostPort(forward.local.host, forward.local.port)} → ${hostPort(forward.remote.host, forward.remote.port)}`;
}

/** `127.0.0.1:18080 → localhost:8080 on web (i-0123…) in us-east-1`. */
export function forwardDescription(forward: Pick<Forward, 'local' | 'remote' | 'instance'>): string {
  return `${forwardText(forward)} on ${instanceDescription(forward.instance)}`;
}

/** What is said about a forward that starts with a warning: nothing listens on the instance's side yet. */
export function startWarning(forward: Pick<Forward, 'local' | 'remote' | 'problem'>): string | undefined {
  if (!forward.problem) return undefined;
  return `${forwardText(forward)}: ${inCliWords(forward.problem)} The forward stays open: connections work once something listens there.`;
}

export interface ChangeReport {
  /**
   * Whether the connection's loss and reopening are said (`ec2ic forward`). `ec2ic ssh -L` leaves them out:
   * the shell on the same connection ends with it, and says why.
   */
  reconnects: boolean;
}

/**
 * Says each change of a running forward once, in a line: a remote side that refuses a connection, sshd
 * refusing to forward, the connection lost, opened again, or failing to open again. Repeats are left out
 * (a client retrying against a stopped server, a browser opening six connections at once).
 */
export function reportForwardChanges(forward: Forward, print: (line: string) => void, options: ChangeReport): () => void {
  let state = forward.state;
  let problem = forward.problem;
  let lastFailure: string | undefined;
  return forward.onDidChange(() => {
    if (forward.state === state && forward.problem === problem) return;
    const was = state;
    state = forward.state;
    problem = forward.problem;
    const said = changeText(was, state, problem, options);
    if (state === 'failed') {
      if (problem === lastFailure) return;
      lastFailure = problem;
    } else if (state === 'open' || state === 'dropped') {
      lastFailure = undefined;
    } else if (state === 'connecting' && was === 'failed') {
      // The next attempt after a failure: said only by its outcome.
      return;
    }
    if (said) print(`${forwardText(forward)}: ${inCliWords(said)}`);
  });
}

function changeText(was: ForwardState, state: ForwardState, problem: string | undefined, options: ChangeReport): string | undefined {
  switch (state) {
    case 'stopped':
      return undefined;
    case 'dropped':
      return options.reconnects ? (problem ?? 'The connection to the instance was lost. It opens again on the next connection.') : undefined;
    case 'connecting':
      return options.reconnects && was !== 'connecting' ? 'opening the connection to the instance again (a fresh key is pushed)…' : undefined;
    case 'failed':
      return options.reconnects ? `reopening failed: ${problem ?? 'no reason given.'} The next connection tries again.` : undefined;
    case 'open':
      if (was === 'connecting') return options.reconnects ? 'connected again.' : undefined;
      // A refusal on the instance's side (nothing listens there, sshd does not forward); its clearing is not news.
      return problem;
  }
}
