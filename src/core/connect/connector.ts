import type { AwsClients } from '../aws/clients';
import { describeImage, type ImageInfo } from '../aws/images';
import type { Ec2Instance } from '../aws/model';
import { pushSshPublicKey } from '../aws/pushKey';
import { untilAborted } from '../base/abort';
import { withDeadline } from '../base/deadline';
import { describeThrown, type Logger } from '../base/log';
import type { ConnectionType, Settings } from '../base/settings';
import type { KeyValueStore } from '../base/store';
import { EndpointDirectory } from '../eice/endpointDirectory';
import type { InstanceConnectEndpoint } from '../eice/endpoints';
import { openTunnel } from '../eice/tunnel';
import { instanceDescription } from '../errors/activity';
import { isProductError, ProductError } from '../errors/productError';
import type { PtySize } from '../ssh/channel';
import { HostKeyTrust } from '../ssh/hostKeys';
import { KeyFactory } from '../ssh/keys';
import type { ChannelOptions, SshChannel, SshConnection } from '../ssh/session';
import { type AddressKind, describePlan, planRoute } from '../transport/address';
import { checkConnectable } from './connectable';
import { ConnectionTypeMemory } from './connectionType';
import { findInstance } from './findInstance';
import { openKeyedConnection } from './keyedConnection';
import { checkNotWindows, detectOsUser, OsUserMemory } from './osUser';
import type { StageDeadlines } from './pushDeadlines';

export type ConnectSettings = Pick<Settings, 'connectionType' | 'port' | 'keyType' | 'connectTimeoutSeconds' | 'keepaliveIntervalSeconds'>;

/** What the connect flow needs from its host (the editor's services, the CLI, a test or a benchmark). */
export interface ConnectorDeps {
  aws(): AwsClients;
  /** Where host keys and chosen OS users are kept. */
  store: KeyValueStore;
  settings(): ConnectSettings;
  log: Logger;
  keys?: KeyFactory;
  /** Instance Connect Endpoints by (profile, region), shared with the listing; default: the connector's own. */
  endpoints?: EndpointDirectory;
  /** AWS's stages' deadlines (credentials, each key push); default 120 and 30 seconds. */
  deadlines?: Partial<StageDeadlines>;
}

/** An instance as a request names it: a full one (from the tree), or an id and where to find it. */
export type InstanceRef = Ec2Instance | { instanceId: string; region: string; profile?: string };

export interface ConnectRequest {
  instance: InstanceRef;
  /** Describe the instance again even when a full one was given (a reconnect: its address may have changed). */
  refresh?: boolean;
  /** The OS user to log in as, overriding the remembered and detected ones. */
  osUser?: string;
  /** Overrides the port setting. */
  port?: number;
  /** Overrides the remembered and configured way in (the CLI's --connection-type). */
  connectionType?: ConnectionType;
  /** The Instance Connect Endpoint to use (the CLI's --eice-id); default: the one in the instance's subnet, else its VPC. */
  endpointId?: string;
  /** Asked when the OS user is neither remembered nor detected from the image; without it, ec2-user. */
  chooseOsUser?(instance: Ec2Instance): Promise<string | undefined>;
  /**
   * Told once address and user are known, before the key push: "Connecting to ec2-user@…". `shared` is set when
   * the pool has that connection open already: no key is pushed, the channel opens on it.
   */
  onConnecting?(target: ConnectTarget, shared?: boolean): void;
  signal?: AbortSignal;
}

export type OsUserSource = 'given' | 'remembered' | 'detected' | 'chosen' | 'default';

export interface ConnectTarget {
  instance: Ec2Instance;
  /** The address SSH reaches: the one connected to, or the private one the endpoint's tunnel goes to. */
  host: string;
  port: number;
  addressKind: AddressKind;
  connectionType: ConnectionType;
  /** Set when the connection goes through an EC2 Instance Connect Endpoint. */
  endpoint?: InstanceConnectEndpoint;
  osUser: string;
  osUserSource: OsUserSource;
}

/** The fallback when nothing tells the user and nobody can be asked: the most common one (Amazon Linux, RHEL, SUSE, …). */
const defaultOsUser = 'ec2-user';

/**
 * Connect, shared by the editor, the CLI, tests and benchmarks: resolve the instance, its address and OS
 * user, make a fresh key, push it with SendSSHPublicKey while ssh2 connects (host key trusted on
 * first use), and when the key is refused push it once more (its 60-second window may have closed).
 */
export class Connector {
  readonly hostKeys: HostKeyTrust;
  readonly osUsers: OsUserMemory;
  readonly connectionTypes: ConnectionTypeMemory;
  readonly endpoints: EndpointDirectory;
  private readonly keys: KeyFactory;
  private readonly log: Logger;
  private readonly images = new Map<string, Promise<ImageInfo | undefined>>();

  constructor(private readonly deps: ConnectorDeps) {
    this.log = deps.log.child('connect');
    this.hostKeys = new HostKeyTrust(deps.store);
    this.osUsers = new OsUserMemory(deps.store);
    this.connectionTypes = new ConnectionTypeMemory(deps.store);
    this.endpoints = deps.endpoints ?? new EndpointDirectory(() => deps.aws());
    this.keys =
      deps.keys ??
      new KeyFactory({ onFallback: () => this.log.warn('this runtime cannot sign with ed25519 keys; using RSA-2048 keys instead') });
  }

  /** The instance as EC2 describes it now (when the request holds only an id, or asks for a refresh). */
  async resolveInstance(ref: InstanceRef, refresh = false, signal?: AbortSignal): Promise<Ec2Instance> {
    if ('state' in ref && !refresh) return ref;
    this.log.debug(`describing ${ref.instanceId} in ${ref.region}`);
    return findInstance(this.deps.aws(), ref, signal);
  }

  /** Instance, address and OS user: everything before the key push. */
  async resolveTarget(request: ConnectRequest): Promise<ConnectTarget> {
    const instance = await this.resolveInstance(request.instance, request.refresh, request.signal);
    checkConnectable(instance);
    const settings = this.deps.settings();
    const connectionType = this.connectionTypeFor(instance.instanceId, request.connectionType);
    const plan = planRoute(instance, connectionType);
    // The endpoint lookup (cached per region) and the OS user's (an image lookup) go side by side.
    const [endpoint, { osUser, source }] = await Promise.all([
      plan.kind === 'eice' ? this.endpoints.forInstance(instance, { endpointId: request.endpointId, signal: request.signal }) : undefined,
      this.resolveOsUser(instance, request),
    ]);
    const host = plan.kind === 'eice' ? plan.privateIp : plan.host;
    this.log.debug(`${instance.instanceId}: ${connectionType} → ${describePlan(plan, endpoint?.id)}`);
    return { instance, host, port: request.port ?? settings.port, addressKind: plan.addressKind, connectionType, endpoint, osUser, osUserSource: source };
  }

  /**
   * What a host entry needs (the instance, its OS user, the port), for `ssh-config`: an instance that is
   * stopped, stopping or starting gets an entry too, since the proxy checks the state at each connection;
   * `notRunning` then says so. A running one is resolved as for a connection, so a missing way in is said now.
   */
  async resolveHostEntryTarget(request: ConnectRequest): Promise<{ instance: Ec2Instance; osUser: string; port: number; notRunning?: string }> {
    const instance = await this.resolveInstance(request.instance, request.refresh, request.signal);
    if (instance.state === 'running') return this.resolveTarget({ ...request, instance });
    let notRunning: string | undefined;
    try {
      checkConnectable(instance);
    } catch (err) {
      // Terminated (or shutting down), or Windows: no entry would ever work.
      if (!isProductError(err, 'instanceNotRunning') || !['stopped', 'stopping', 'pending'].includes(instance.state)) throw err;
      notRunning = err.message;
    }
    const { osUser } = await this.resolveOsUser(instance, request);
    return { instance, osUser, port: request.port ?? this.deps.settings().port, notRunning };
  }

  /** The way in for an instance: the one asked for, else the one chosen for it before, else the setting. */
  connectionTypeFor(instanceId: string, asked?: ConnectionType): ConnectionType {
    return asked ?? this.connectionTypes.get(instanceId) ?? this.deps.settings().connectionType;
  }

  /** An authenticated connection, with the target it reached. */
  async connect(request: ConnectRequest): Promise<{ connection: SshConnection; target: ConnectTarget }> {
    const target = await this.resolveTarget(request);
    request.onConnecting?.(target);
    const connection = await this.connectTo(target, request.signal);
    return { connection, target };
  }

  /** An interactive shell (`xterm-256color`, the terminal's size) on a connection of its own, which ends with it. */
  async openShell(request: ConnectRequest, size: PtySize): Promise<{ channel: SshChannel; target: ConnectTarget }> {
    const { connection, target } = await this.connect(request);
    return { channel: await this.dedicatedChannel(connection, target, 'a shell', (options) => connection.shell(size, options), request.signal), target };
  }

  /** A command without a pty, as `ssh host -- command` runs it, on a connection of its own, which ends with it. */
  async exec(request: ConnectRequest, command: string): Promise<{ channel: SshChannel; target: ConnectTarget }> {
    const { connection, target } = await this.connect(request);
    return { channel: await this.dedicatedChannel(connection, target, 'the command', (options) => connection.exec(command, options), request.signal), target };
  }

  /** The session stage's deadline (the connect timeout), for a shell or command on a connection that is open. */
  openSession(target: ConnectTarget, what: 'a shell' | 'the command', open: () => Promise<SshChannel>, signal?: AbortSignal): Promise<SshChannel> {
    const seconds = this.deps.settings().connectTimeoutSeconds;
    const late = () =>
      new ProductError(
        'timeout',
        `${instanceDescription(target.instance)} accepted the key for "${target.osUser}" but did not start ${what} within ${seconds} seconds. ` +
          'The instance may be overloaded, or slow to run the login shell and its profile scripts.',
        { stage: 'session' },
      );
    return withDeadline(seconds, late, () => open(), signal);
  }

  private async dedicatedChannel(
    connection: SshConnection,
    target: ConnectTarget,
    what: 'a shell' | 'the command',
    open: (options: ChannelOptions) => Promise<SshChannel>,
    signal?: AbortSignal,
  ): Promise<SshChannel> {
    try {
      return await this.openSession(target, what, () => open({ onDone: () => connection.end() }), signal);
    } catch (err) {
      connection.end();
      throw err;
    }
  }

  /** A new authenticated connection to a resolved target: a fresh key pushed, a fresh tunnel when through an endpoint. */
  connectTo(target: ConnectTarget, signal?: AbortSignal): Promise<SshConnection> {
    const settings = this.deps.settings();
    const { instance } = target;
    const who = instanceDescription(instance);
    const started = performance.now();
    const through = target.endpoint;
    const addressKind = through ? `${target.addressKind} through ${through.id}` : target.addressKind;
    return openKeyedConnection({
      endpoint: { who, host: target.host, port: target.port, addressKind, user: target.osUser },
      openSocket: through ? (signal) => this.tunnel(target, through, signal) : undefined,
      keys: this.keys,
      keyType: settings.keyType,
      push: (publicKey, pushSignal) => this.push(target, publicKey, pushSignal),
      pushOperation: 'SendSSHPublicKey',
      credentials: () => this.deps.aws().credentialProvider(instance.profile)(),
      deadlines: this.deps.deadlines,
      verifyHostKey: async (hostKey) => {
        const result = await this.hostKeys.verify(instance.instanceId, who, hostKey);
        this.log.debug(`host key of ${instance.instanceId}: ${hostKey.type} ${hostKey.fingerprint} (${result === 'first use' ? 'trusted on first use' : 'known'})`);
      },
      refused: (pushes) => this.authRefused(target, pushes),
      connectTimeoutSeconds: settings.connectTimeoutSeconds,
      keepaliveIntervalSeconds: settings.keepaliveIntervalSeconds,
      log: this.log,
      signal,
    }).then((connection) => {
      this.log.info(`connected to ${target.osUser}@${target.host}:${target.port} (${instance.instanceId}${through ? ` through ${through.id}` : ''}) in ${ms(started)}`);
      return connection;
    });
  }

  /** A fresh tunnel through the endpoint to the instance's private address; a refused one makes the next connection look the endpoints up again. */
  private async tunnel(target: ConnectTarget, endpoint: InstanceConnectEndpoint, signal?: AbortSignal) {
    const { instance } = target;
    const started = performance.now();
    try {
      const stream = await openTunnel({
        target: { dnsName: endpoint.dnsName, endpointId: endpoint.id, region: endpoint.region, privateIp: target.host, remotePort: target.port },
        credentials: this.deps.aws().credentialProvider(instance.profile),
        who: instanceDescription(instance),
        timeoutSeconds: this.deps.settings().connectTimeoutSeconds,
        log: this.log.child('tunnel'),
        signal,
      });
      this.log.debug(`tunnel through ${endpoint.id} to ${target.host}:${target.port} open in ${ms(started)}`);
      return stream;
    } catch (err) {
      this.endpoints.forget({ profile: instance.profile, region: instance.region });
      throw err;
    }
  }

  private async push(target: ConnectTarget, publicKey: string, signal?: AbortSignal): Promise<void> {
    const { instance } = target;
    const started = performance.now();
    const client = this.deps.aws().instanceConnectClient({ profile: instance.profile, region: instance.region });
    const result = await pushSshPublicKey(
      client,
      { instanceId: instance.instanceId, osUser: target.osUser, publicKey, availabilityZone: instance.availabilityZone },
      signal,
    );
    this.log.debug(`pushed the key for ${target.osUser} to ${instance.instanceId} in ${ms(started)} (request id ${result.requestId ?? 'none'})`);
  }

  private authRefused(target: ConnectTarget, pushes: number): ProductError {
    const who = instanceDescription(target.instance);
    const pushed = pushes > 1 ? `, also after the key was pushed a second time` : '';
    const origin: Record<OsUserSource, string> = {
      given: '',
      remembered: ' (the user chosen for it before)',
      detected: ' (guessed from its image)',
      chosen: '',
      default: ' (the usual default; its image did not tell)',
    };
    return new ProductError(
      'authRefused',
      `${who} refused the key pushed for the user "${target.osUser}"${origin[target.osUserSource]}${pushed}. ` +
        `Usually the instance has no user "${target.osUser}": choose another user. ` +
        'Otherwise it does not run EC2 Instance Connect (the ec2-instance-connect package, preinstalled on Amazon Linux and Ubuntu), or its sshd does not use it.',
      { osUser: target.osUser, pushes },
    );
  }

  private async resolveOsUser(instance: Ec2Instance, request: ConnectRequest): Promise<{ osUser: string; source: OsUserSource }> {
    if (request.osUser) return { osUser: request.osUser, source: 'given' };
    const remembered = this.osUsers.get(instance.instanceId);
    if (remembered) return { osUser: remembered, source: 'remembered' };

    const image = instance.imageId ? await this.image(instance, instance.imageId, request.signal) : undefined;
    checkNotWindows(instance, image);
    const detected = detectOsUser(image, instance);
    if (detected) {
      this.log.debug(`user ${detected} detected from image ${instance.imageId} (${image?.name ?? 'no name'})`);
      return { osUser: detected, source: 'detected' };
    }
    if (request.chooseOsUser) {
      const chosen = await request.chooseOsUser(instance);
      if (!chosen) throw new ProductError('cancelled', 'Cancelled.');
      await this.osUsers.remember(instance.instanceId, chosen);
      return { osUser: chosen, source: 'chosen' };
    }
    this.log.info(`the image of ${instance.instanceId} does not tell its user; trying ${defaultOsUser}`);
    return { osUser: defaultOsUser, source: 'default' };
  }

  /**
   * DescribeImages, once per image, shared by every connection to it. The lookup runs without any caller's
   * AbortSignal (closing one terminal must not cancel it for a concurrent Connect to the same image); each
   * caller stops waiting when its own signal aborts. A failure only means the user is not detected, so it is
   * logged, not thrown, and not kept: the next connection asks again.
   */
  private image(instance: Ec2Instance, imageId: string, signal?: AbortSignal): Promise<ImageInfo | undefined> {
    const key = `${instance.profile ?? ''}|${instance.region}|${imageId}`;
    let lookup = this.images.get(key);
    if (!lookup) {
      const target = { profile: instance.profile, region: instance.region };
      lookup = describeImage(this.deps.aws().ec2Client(target), imageId).catch((err: unknown) => {
        this.images.delete(key);
        this.log.warn(`could not describe image ${imageId}: ${describeThrown(err)}`);
        return undefined;
      });
      this.images.set(key, lookup);
    }
    return untilAborted(lookup, signal);
  }
}

function ms(since: number): string {
  return `${Math.round(performance.now() - since)} ms`;
}
