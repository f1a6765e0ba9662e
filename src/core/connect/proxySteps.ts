import type { Duplex } from 'node:stream';

import { AwsClients } from '../aws/clients';
import type { Ec2Instance } from '../aws/model';
import { pushSshPublicKey } from '../aws/pushKey';
import { withDeadline } from '../base/deadline';
import type { Logger } from '../base/log';
import { type ConnectionType, defaultSettings } from '../base/settings';
import { MemoryStore } from '../base/store';
import { openTunnel } from '../eice/tunnel';
import { describeTarget } from '../errors/activity';
import type { FailureContext } from '../errors/types';
import { connectFailure } from '../ssh/sshErrors';
import { connectTcp } from '../transport/tcp';
import { Connector, type ConnectTarget } from './connector';
import { defaultDeadlines, pushTooSlow } from './keyedConnection';
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
  connectionType: ConnectionType;
  /** The Instance Connect Endpoint to go through (--eice-id); default: the instance's subnet's, else its VPC's. */
  endpointId?: string;
  connectTimeoutSeconds: number;
  log: Logger;
}

/** The CLI prints a failure with the context it carries (see src/cli.ts). */
function withContext(err: unknown, ctx: FailureContext): unknown {
  return typeof err === 'object' && err !== null ? Object.assign(err, { failureContext: ctx }) : err;
}

/**
 * The proxy's steps over the connect flow: the same instance lookup, state check and choice of the way in
 * as Connect, then a push of the handoff's public key while TCP or the endpoint's tunnel opens. Nothing is
 * remembered between runs (no host keys: OpenSSH checks those itself), so no store is needed.
 */
export function proxySteps(request: ProxyRequest): ProxySteps {
  const aws = new AwsClients({ endpoint: request.endpoint });
  const connector = new Connector({
    aws: () => aws,
    // Nothing is remembered between runs: OpenSSH checks host keys itself.
    store: new MemoryStore(),
    settings: () => ({ ...defaultSettings, connectionType: request.connectionType, port: request.port, connectTimeoutSeconds: request.connectTimeoutSeconds }),
    log: request.log,
  });
  const { instanceId, region, profile, user } = request;
  let instance: Ec2Instance | undefined;
  let resolved: ConnectTarget | undefined;
  const context = (operation: string): FailureContext => ({
    operation,
    instanceId,
    instanceName: instance?.name,
    region,
    profile,
    osUser: user,
    port: request.port,
    instanceState: instance?.state,
    endpointId: resolved?.endpoint?.id,
  });

  return {
    async resolve(): Promise<ProxyTarget> {
      try {
        instance = await connector.resolveInstance({ instanceId, region, profile });
        resolved = await connector.resolveTarget({ instance, osUser: user, port: request.port, endpointId: request.endpointId });
        const through = resolved.endpoint ? ` through ${resolved.endpoint.id}` : '';
        return {
          host: resolved.host,
          port: resolved.port,
          who: describeTarget(context('')),
          addressKind: `${resolved.addressKind}${through}`,
          user: resolved.osUser,
          endpointId: resolved.endpoint?.id,
        };
      } catch (err) {
        throw withContext(err, context(resolved ? 'DescribeInstanceConnectEndpoints' : 'DescribeInstances'));
      }
    },
    async push(target: ProxyTarget): Promise<void> {
      const seconds = defaultDeadlines.pushSeconds;
      try {
        await withDeadline(seconds, () => pushTooSlow('SendSSHPublicKey', target.who, seconds), (signal) =>
          pushSshPublicKey(
            aws.instanceConnectClient({ profile, region }),
            { instanceId, osUser: target.user, publicKey: request.publicKey, availabilityZone: instance?.availabilityZone },
            signal,
          ),
        );
      } catch (err) {
        throw withContext(err, context('SendSSHPublicKey'));
      }
    },
    async open(target: ProxyTarget): Promise<Duplex> {
      const endpoint = resolved?.endpoint;
      if (endpoint) {
        try {
          return await openTunnel({
            target: { dnsName: endpoint.dnsName, endpointId: endpoint.id, region: endpoint.region, privateIp: target.host, remotePort: target.port },
            credentials: aws.credentialProvider(profile),
            who: target.who,
            timeoutSeconds: request.connectTimeoutSeconds,
            log: request.log.child('tunnel'),
          });
        } catch (err) {
          throw withContext(err, context('OpenTunnel'));
        }
      }
      try {
        return await connectTcp(target.host, target.port, request.connectTimeoutSeconds * 1000);
      } catch (err) {
        throw withContext(connectFailure(err, target, request.connectTimeoutSeconds, false), context('remoteSSH'));
      }
    },
    release: () => aws.reset(),
  };
}
