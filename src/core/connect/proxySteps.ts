import { AwsClients } from '../aws/clients';
import type { Ec2Instance } from '../aws/model';
import { pushSshPublicKey } from '../aws/pushKey';
import type { Logger } from '../base/log';
import { defaultSettings, type PrivateAddressPolicy } from '../base/settings';
import { MemoryStore } from '../base/store';
import { describeTarget } from '../errors/activity';
import type { FailureContext } from '../errors/types';
import { connectFailure } from '../ssh/sshErrors';
import { Connector } from './connector';
import type { ProxySteps, ProxyTarget } from './proxy';

/** What `ec2ic proxy` was asked for (its command line). */
export interface ProxyRequest {
  instanceId: string;
  region: string;
  profile?: string;
  user: string;
  port: number;
  /** The public key line to push. */
  publicKey: string;
  endpoint?: string;
  privateAddress: PrivateAddressPolicy;
  connectTimeoutSeconds: number;
  log: Logger;
}

/** The CLI prints a failure with the context it carries (see src/cli.ts). */
function withContext(err: unknown, ctx: FailureContext): unknown {
  return typeof err === 'object' && err !== null ? Object.assign(err, { failureContext: ctx }) : err;
}

/**
 * The proxy's steps over the connect flow: the same instance lookup, state check and address choice as
 * Connect, then a push of the handoff's public key. Nothing is remembered between runs (no host keys:
 * OpenSSH checks those itself), so no store is needed.
 */
export function proxySteps(request: ProxyRequest): ProxySteps {
  const aws = new AwsClients({ endpoint: request.endpoint });
  const connector = new Connector({
    aws: () => aws,
    // Nothing is remembered between runs: OpenSSH checks host keys itself.
    store: new MemoryStore(),
    settings: () => ({ ...defaultSettings, usePrivateAddress: request.privateAddress, port: request.port, connectTimeoutSeconds: request.connectTimeoutSeconds }),
    log: request.log,
  });
  const { instanceId, region, profile, user } = request;
  let instance: Ec2Instance | undefined;
  const context = (operation: string): FailureContext => ({
    operation,
    instanceId,
    instanceName: instance?.name,
    region,
    profile,
    osUser: user,
    port: request.port,
    instanceState: instance?.state,
  });

  return {
    async resolve(): Promise<ProxyTarget> {
      try {
        instance = await connector.resolveInstance({ instanceId, region, profile });
        const target = await connector.resolveTarget({ instance, osUser: user, port: request.port });
        return { host: target.host, port: target.port, who: describeTarget(context('')), addressKind: target.addressKind, user: target.osUser };
      } catch (err) {
        throw withContext(err, context('DescribeInstances'));
      }
    },
    async push(target: ProxyTarget): Promise<void> {
      try {
        await pushSshPublicKey(aws.instanceConnectClient({ profile, region }), {
          instanceId,
          osUser: target.user,
          publicKey: request.publicKey,
          availabilityZone: instance?.availabilityZone,
        });
      } catch (err) {
        throw withContext(err, context('SendSSHPublicKey'));
      }
    },
    release: () => aws.reset(),
    connectFailure: (err, target) =>
      withContext(connectFailure(err, { ...target, addressKind: target.addressKind }, request.connectTimeoutSeconds, false), context('remoteSSH')),
  };
}
