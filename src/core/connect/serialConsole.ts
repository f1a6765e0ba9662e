import type { AwsClients } from '../aws/clients';
import type { Ec2Instance } from '../aws/model';
import { pushSerialConsolePublicKey } from '../aws/pushKey';
import { type SerialConsoleAccess, serialConsoleAccess } from '../aws/serialConsoleAccess';
import type { Logger } from '../base/log';
import type { Settings } from '../base/settings';
import type { KeyValueStore } from '../base/store';
import { describeTarget } from '../errors/activity';
import { errorCode } from '../errors/errorShape';
import { isProductError, ProductError } from '../errors/productError';
import type { PtySize } from '../ssh/channel';
import { KeyFactory } from '../ssh/keys';
import { firstUseWarning, type SerialEndpoint, serialEndpoint, verifySerialHostKey } from '../ssh/serialEndpoint';
import type { SshChannel } from '../ssh/session';
import type { InstanceRef } from './connector';
import { openKeyedConnection } from './keyedConnection';
import { checkSerialConsoleReady } from './serialConsoleReady';

export type SerialConsoleSettings = Pick<Settings, 'keyType' | 'connectTimeoutSeconds' | 'keepaliveIntervalSeconds' | 'serialConsole'>;

/** What the serial console needs from its host (the editor's services, the CLI, a test). */
export interface SerialConsoleDeps {
  aws(): AwsClients;
  /** Where the host key of an endpoint without a published fingerprint is kept (trust on first use). */
  store: KeyValueStore;
  settings(): SerialConsoleSettings;
  log: Logger;
  /** Looks an instance up by id (Connect's resolveInstance), so both features find and name instances alike. */
  resolveInstance(ref: InstanceRef, refresh: boolean, signal?: AbortSignal): Promise<Ec2Instance>;
  keys?: KeyFactory;
}

export interface SerialConsoleRequest {
  instance: InstanceRef;
  /** Describe the instance again even when a full one was given (a retry: its state may have changed). */
  refresh?: boolean;
  size: PtySize;
  /** Lines for the terminal while connecting: what is happening, and a warning for a key trusted on first use. */
  onStatus?(line: string): void;
  signal?: AbortSignal;
}

export interface SerialConsoleSession {
  channel: SshChannel;
  instance: Ec2Instance;
  endpoint: SerialEndpoint;
}

/** The user name the serial console endpoint takes: the instance and its serial port (EC2 has only port 0). */
function serialConsoleUser(instanceId: string): string {
  return `${instanceId}.port0`;
}

/**
 * The EC2 serial console, for the editor and the CLI: check that the account has it enabled
 * (GetSerialConsoleAccessStatus) while the instance is looked up, push a fresh in-memory key with
 * SendSerialConsoleSSHPublicKey, then open an SSH session as `<instance-id>.port0` on the region's endpoint,
 * whose host key must be the one AWS publishes for the region (or the one set in the settings).
 */
export class SerialConsoleConnector {
  private readonly log: Logger;
  private readonly keys: KeyFactory;

  constructor(private readonly deps: SerialConsoleDeps) {
    this.log = deps.log.child('serial');
    this.keys =
      deps.keys ??
      new KeyFactory({ onFallback: () => this.log.warn('this runtime cannot sign with ed25519 keys; using RSA-2048 keys instead') });
  }

  async open(request: SerialConsoleRequest): Promise<SerialConsoleSession> {
    const { signal } = request;
    const settings = this.deps.settings();
    const ref = request.instance;
    const started = performance.now();
    const named = 'name' in ref ? ref.name : undefined;
    request.onStatus?.(`Connecting to the serial console of ${describeTarget({ instanceId: ref.instanceId, instanceName: named, region: ref.region })}…`);
    const [instance, access] = await Promise.all([
      this.deps.resolveInstance(ref, request.refresh ?? false, signal),
      this.access({ profile: ref.profile, region: ref.region }, signal),
    ]);
    const who = describeTarget({ instanceId: instance.instanceId, instanceName: instance.name, region: instance.region });
    if (access && !access.enabled) throw accessDisabled(who, instance.region, access);
    checkSerialConsoleReady(instance);

    const endpoint = serialEndpoint(instance.region, settings.serialConsole);
    try {
      const connection = await openKeyedConnection({
        endpoint: { who: `the serial console endpoint of ${instance.region}`, host: endpoint.host, port: endpoint.port, user: serialConsoleUser(instance.instanceId) },
        keys: this.keys,
        keyType: settings.keyType,
        push: (publicKey, pushSignal) => this.push(instance, publicKey, pushSignal),
        pushOperation: 'SendSerialConsoleSSHPublicKey',
        credentials: () => this.deps.aws().credentialProvider(instance.profile)(),
        verifyHostKey: async (hostKey) => {
          const result = await verifySerialHostKey(endpoint, hostKey, this.deps.store);
          this.log.debug(`host key of ${endpoint.host}: ${hostKey.type} ${hostKey.fingerprint} (${result === 'pinned' ? `matches the ${endpoint.pinnedBy}` : result})`);
          if (result === 'first use') {
            const warning = firstUseWarning(endpoint, hostKey.fingerprint);
            // Said once: where the caller shows status lines (the terminal, the CLI's stderr), the log only keeps it.
            if (request.onStatus) {
              request.onStatus(warning);
              this.log.info(warning);
            } else {
              this.log.warn(warning);
            }
          }
        },
        refused: (pushes) => keyRefused(who, pushes),
        connectTimeoutSeconds: settings.connectTimeoutSeconds,
        keepaliveIntervalSeconds: settings.keepaliveIntervalSeconds,
        log: this.log,
        signal,
      });
      try {
        const channel = await connection.shell(request.size, { onDone: () => connection.end() });
        this.log.info(`serial console of ${instance.instanceId} open via ${endpoint.host}:${endpoint.port} in ${Math.round(performance.now() - started)} ms`);
        return { channel, instance, endpoint };
      } catch (err) {
        connection.end();
        throw err;
      }
    } catch (err) {
      throw endpointFailure(err, endpoint);
    }
  }

  /** The account's setting; undefined when it cannot be read (denied by IAM): the push then says what it is. */
  private async access(target: { profile?: string; region: string }, signal?: AbortSignal): Promise<SerialConsoleAccess | undefined> {
    try {
      return await serialConsoleAccess(this.deps.aws().ec2Client(target), signal);
    } catch (err) {
      const code = errorCode(err);
      if (code === 'UnauthorizedOperation' || code === 'AccessDenied' || code === 'AccessDeniedException') {
        this.log.debug(`cannot read the serial console setting of ${target.region} (${code}); the key push will tell`);
        return undefined;
      }
      throw err;
    }
  }

  private async push(instance: Ec2Instance, publicKey: string, signal?: AbortSignal): Promise<void> {
    const started = performance.now();
    const client = this.deps.aws().instanceConnectClient({ profile: instance.profile, region: instance.region });
    const result = await pushSerialConsolePublicKey(client, { instanceId: instance.instanceId, publicKey }, signal);
    this.log.debug(`pushed a key for the serial console of ${instance.instanceId} in ${Math.round(performance.now() - started)} ms (request id ${result.requestId ?? 'none'})`);
  }
}

function accessDisabled(who: string, region: string, access: SerialConsoleAccess): ProductError {
  const byPolicy = access.managedBy === 'declarative-policy';
  return new ProductError(
    'serialConsoleAccessDisabled',
    byPolicy
      ? `The EC2 serial console is turned off for this account in ${region} by a declarative policy of the organization, so ${who} cannot be reached through it. Only the organization's administrators can change that.`
      : `The EC2 serial console is turned off for this account in ${region}, so ${who} cannot be reached through it.`,
    { region, managedBy: access.managedBy },
  );
}

function keyRefused(who: string, pushes: number): ProductError {
  return new ProductError(
    'authRefused',
    `The serial console endpoint refused the key pushed for ${who}${pushes > 1 ? ', also after it was pushed again' : ''}. ` +
      'Another session may have started on it meanwhile (one is allowed per instance). Try again in about 30 seconds.',
    { pushes },
  );
}

/** The SSH layer words reachability for instances (security groups, sshd); the serial endpoint is an AWS service on the internet. */
function endpointFailure(err: unknown, endpoint: SerialEndpoint): unknown {
  if (!isProductError(err, 'timeout') && !isProductError(err, 'unreachable')) return err;
  const code = typeof err.facts.code === 'string' ? ` (${err.facts.code})` : '';
  return new ProductError(
    err.kind,
    `Could not reach the EC2 serial console endpoint of ${endpoint.region} at ${endpoint.host} port ${endpoint.port}${code}. ` +
      'It is an AWS service reached over the internet with SSH: a firewall or proxy that blocks outgoing SSH (TCP port 22) stops it. Check the network, then try again.',
    err.facts,
  );
}
