// The sandbox: one Node process that plays AWS locally (EC2 and EC2 Instance Connect over their real wire
// protocols, real sshd servers as instances, a serial console endpoint) for tests, benchmarks and the demo.
// This file is the contract the rest of the project codes against.

export interface SandboxOptions {
  /** default ['us-east-1', 'eu-west-1'] */
  regions?: string[];
  /** Generate a large account: N extra instances spread over the regions (no sshd for these). */
  instances?: number;
  /** How long a pushed key is accepted; default 60. */
  keyWindowSeconds?: number;
  /** Start real sshd instances (default true); false = API only (fast, for listing tests/benchmarks). */
  ssh?: boolean;
  /** The sandbox's own log lines (default: silent). */
  log?: (line: string) => void;
  /** How long `pending` and `stopping` last; default 2. */
  transitionSeconds?: number;
  /** How long an instance's serial console stays busy after a session ends (AWS: about 30); default 0. */
  serialTeardownSeconds?: number;
  /** Whether the account starts with serial console access enabled; default true. */
  serialConsoleAccess?: boolean;
  /**
   * As root: put this before every Linux instance's OS user (`t1-` gives `t1-ec2-user`, `t1-ubuntu`, …), so
   * that the sandbox shares its OS users with no sandbox that uses the usual names. For tests of the users'
   * lifecycle. Lower-case letters, digits, `-` and `_`; ignored when not root (every user is the current one).
   */
  osUserPrefix?: string;
}

export interface SandboxInstance {
  instanceId: string;
  region: string;
  availabilityZone: string;
  state: string;
  osUser: string;
  /** Where its sshd listens: its public IP, or its private IP when it has no public one. */
  host: string;
  port: number;
  /** Whether it supports the serial console (Nitro type, Linux). */
  serial: boolean;
  name: string;
  /** Set for Windows instances, which have no sshd. */
  platform?: 'windows';
}

export interface SandboxManifest {
  /** "http://127.0.0.1:PORT" */
  endpoint: string;
  regions: string[];
  credentials: { accessKeyId: string; secretAccessKey: string };
  /** The default account's instances (not the generated ones). */
  instances: SandboxInstance[];
  /** fingerprint: "SHA256:..." (OpenSSH form, no '=' padding) */
  serialConsole: { host: string; port: number; fingerprint: string };
}

export type Fault =
  /**
   * Fails calls to `operation` (`'*'`: every call the error fits) with `error`: one of the 12 EIC exceptions,
   * or for EC2 operations an EC2 error code (ThrottlingException becomes RequestLimitExceeded). With
   * `instanceId`, only calls that name that instance; with `times`, only that many calls.
   */
  | { operation: string; instanceId?: string; error: string; times?: number }
  /** Added to every API call until cleared. */
  | { latencyMs: number }
  /** Cuts the instance's open SSH connections; its sshd keeps listening. */
  | { dropSsh: string }
  /** Every EC2 call in that region fails with this EC2 error code until cleared. */
  | { region: string; error: string };

export interface Sandbox {
  /** A snapshot taken when read: instance states are current. */
  readonly manifest: SandboxManifest;
  /** AWS_ENDPOINT_URL, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION (first region). */
  env: Record<string, string>;
  /** Same as POST /_sandbox/faults; rejects a fault it does not understand. */
  injectFault(fault: Fault): Promise<void>;
  clearFaults(): Promise<void>;
  /** Applies to keys pushed from now on. */
  setKeyWindow(seconds: number): void;
  setSerialConsoleAccess(enabled: boolean): void;
  /** Stops everything it started; idempotent. */
  stop(): Promise<void>;
  /** The sandbox's private directory (sshd configs and logs under instances/<id>/). */
  readonly runDir: string;
}

export { startSandbox } from './sandbox';
