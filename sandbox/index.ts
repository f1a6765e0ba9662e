// The sandbox: one Node process that plays AWS locally (EC2 and EC2 Instance Connect over their real wire
// protocols, real sshd servers as instances, a serial console endpoint, Instance Connect Endpoints that are
// real TLS WebSocket servers) for tests, benchmarks and the demo.
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
  /**
   * How long a created Instance Connect Endpoint stays `create-in-progress` (its server answers only after),
   * and a deleted one `delete-in-progress`; default 3 (AWS: minutes).
   */
  endpointCreateSeconds?: number;
  /** The longest a tunnel lives: a longer (valid) `maxTunnelDuration` is cut down to it; default 3600, AWS's limit. */
  maxTunnelDurationSeconds?: number;
  /** Concurrent tunnels one endpoint accepts; default 20, AWS's limit. */
  maxEndpointConnections?: number;
}

export interface SandboxInstance {
  instanceId: string;
  region: string;
  availabilityZone: string;
  state: string;
  osUser: string;
  /**
   * Where its sshd really listens: its public IP, or for a private-only instance a hidden loopback address
   * (not in DescribeInstances) that only an Instance Connect Endpoint of its VPC reaches.
   */
  host: string;
  port: number;
  vpcId: string;
  subnetId: string;
  /** A loopback address inside its VPC's CIDR (127.100.0.0 and above) on which nothing listens. */
  privateIp: string;
  /** Its public IP (then the same as `host`), or null when it has none (private-only, stopped, terminated). */
  publicIp: string | null;
  /** Whether it supports the serial console (Nitro type, Linux). */
  serial: boolean;
  name: string;
  /** Set for Windows instances, which have no sshd. */
  platform?: 'windows';
  /**
   * A Windows instance's port 3389: where its listener really is (its public IP, or for a private-only one a
   * hidden loopback address that only an endpoint of its VPC reaches, with `remotePort=3389`). It listens
   * while the instance runs; it writes `RDP sandbox <instance id>\r\n`, then echoes what it receives (no RDP).
   * Absent with `ssh: false`.
   */
  rdp?: { host: string; port: number };
}

export interface SandboxInstanceConnectEndpoint {
  instanceConnectEndpointId: string;
  region: string;
  vpcId: string;
  subnetId: string;
  /** As DescribeInstanceConnectEndpoints gives it; as root it resolves to `host` through /etc/hosts. */
  dnsName: string;
  /** Where its TLS WebSocket server listens: as root its own loopback address, port 443; else 127.0.0.1 and a free port. */
  host: string;
  port: number;
}

/**
 * A service inside a VPC that only the VPC's instances reach (as an internal load balancer would be): an HTTP
 * server on a private address of the VPC that is no instance's. `GET /` answers 200 with
 * `<name>: hello <OS user> on <instance id> (<instance name>)\n` when the connection comes from under the sshd
 * of one of the VPC's instances (a port forward through it), and 403 saying it is reachable only from inside
 * the VPC to anyone else.
 */
export interface SandboxInternalService {
  /** `internal-metrics` */
  name: string;
  /**
   * `internal-metrics-<10 digits>.<region>.elb.amazonaws.com`, new each start. As root it resolves to `host`
   * through /etc/hosts, for sshd too (a forward to `<dnsName>:8080`); not root, nothing resolves it.
   */
  dnsName: string;
  vpcId: string;
  subnetId: string;
  /** An address of the VPC's first subnet (127.100.0.0/20), chosen at start. */
  host: string;
  /** 8080 */
  port: number;
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
  /** The CA that signs the endpoints' certificates (ca.ts: the same file on every run). */
  caFile: string;
  /** The endpoints whose server answers now (created ones once `create-complete`, deleted ones no more). */
  instanceConnectEndpoints: SandboxInstanceConnectEndpoint[];
  /** One, in the first region's main VPC (the one with an endpoint); none with `ssh: false`. */
  internalServices: SandboxInternalService[];
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
  /**
   * The instance's sshd gets `AllowTcpForwarding no` and is reloaded (SIGHUP), as an administrator would do:
   * port forwards are then refused ("administratively prohibited"); open connections keep what they had.
   * Resolves once it accepts connections again. Clearing the faults turns forwarding back on.
   */
  | { instanceId: string; allowTcpForwarding: false }
  /** Every EC2 call in that region fails with this EC2 error code until cleared. */
  | { region: string; error: string }
  /**
   * Refuses the WebSocket handshake of tunnels to `endpoint` (an endpoint id, or `'*'`) with this HTTP status
   * and the JSON body `{"ErrorCode": errorCode, "Message": message}`, after the URL's checks pass; with `times`,
   * only that many tunnels.
   */
  | { endpoint: string; handshakeStatus: number; errorCode: string; message: string; times?: number }
  /** Accepts the handshake, then closes the tunnel at once with this close code and reason. */
  | { endpoint: string; closeCode: number; closeReason: string; times?: number }
  /** Cuts tunnels opened from now on `cutAfterSeconds` after they open: TLS and TCP gone, no close frame. */
  | { endpoint: string; cutAfterSeconds: number; times?: number };

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
  /** Tunnels of an endpoint: open now, and opened since the sandbox started (for tests of connection sharing). */
  endpointConnections(instanceConnectEndpointId: string): { open: number; total: number };
  /**
   * TCP connections to an instance's sshd: open now, and accepted since the sandbox started (from sshd's own
   * log; its restarts included), whoever made them (a client, an endpoint's tunnel). For tests of connection
   * sharing: one SSH connection carrying many forwarded ones counts once. Throws for an instance with no sshd.
   */
  sshConnections(instanceId: string): { open: number; total: number };
  /** Stops everything it started; idempotent. */
  stop(): Promise<void>;
  /** The sandbox's private directory (sshd configs and logs under instances/<id>/). */
  readonly runDir: string;
}

export { startSandbox } from './sandbox';
