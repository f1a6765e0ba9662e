import type { Duplex } from 'node:stream';

import { AwsClients } from '../aws/clients';
import type { Ec2Instance } from '../aws/model';
import { pushSshPublicKey } from '../aws/pushKey';
import { withDeadline } from '../base/deadline';
import type { Logger } from '../base/log';
import type { ConnectionType } from '../base/settings';
import { EndpointDirectory } from '../eice/endpointDirectory';
import type { InstanceConnectEndpoint } from '../eice/endpoints';
import { describeTarget } from '../errors/activity';
import type { FailureContext } from '../errors/types';
import { connectFailure } from '../ssh/sshErrors';
import { planRoute } from '../transport/address';
import { connectTcp } from '../transport/tcp';
import { checkConnectable } from './connectable';
import { findInstance } from './findInstance';
import type { ProxySteps, ProxyTarget } from './proxy';
import { defaultDeadlines, pushTooSlow } from './pushDeadlines';

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
 * The proxy's steps: the instance lookup, state check and choice of the way in that Connect makes (the same
 * functions), a push of the handoff's public key, then TCP or the endpoint's tunnel. Nothing is remembered
 * between runs (OpenSSH checks host keys itself), and nothing of ssh2 is loaded: this runs from dist/proxy.js,
 * once for every connection ssh makes, where starting fast is most of the work (bench/proxy.ts).
 */
export function proxySteps(request: ProxyRequest): ProxySteps {
  const aws = new AwsClients({ endpoint: request.endpoint });
  const endpoints = new EndpointDirectory(() => aws);
  const { instanceId, region, profile, user } = request;
  let instance: Ec2Instance | undefined;
  let endpoint: InstanceConnectEndpoint | undefined;
  let looked: Promise<unknown> | undefined;
  const context = (operation: string): FailureContext => ({
    operation,
    instanceId,
    instanceName: instance?.name,
    region,
    profile,
    osUser: user,
    port: request.port,
    instanceState: instance?.state,
    endpointId: endpoint?.id,
  });

  async function lookUp(): Promise<ProxyTarget> {
    let operation = 'DescribeInstances';
    try {
      instance = await findInstance(aws, { instanceId, region, profile });
      checkConnectable(instance);
      const plan = planRoute(instance, request.connectionType);
      operation = 'DescribeInstanceConnectEndpoints';
      endpoint = plan.kind === 'eice' ? await endpoints.forInstance(instance, { endpointId: request.endpointId }) : undefined;
      const host = plan.kind === 'eice' ? plan.privateIp : plan.host;
      return {
        host,
        port: request.port,
        who: describeTarget(context('')),
        addressKind: `${plan.addressKind}${endpoint ? ` through ${endpoint.id}` : ''}`,
        user,
        endpointId: endpoint?.id,
      };
    } catch (err) {
      throw withContext(err, context(operation));
    }
  }

  return {
    resolve() {
      const lookup = lookUp();
      looked = lookup.catch(() => {});
      return lookup;
    },
    async push(): Promise<void> {
      const seconds = defaultDeadlines.pushSeconds;
      try {
        // No AvailabilityZone: it is optional, and the lookup that knows it runs beside this.
        await withDeadline(seconds, () => pushTooSlow('SendSSHPublicKey', describeTarget(context('')), seconds), (signal) =>
          pushSshPublicKey(aws.instanceConnectClient({ profile, region }), { instanceId, osUser: user, publicKey: request.publicKey }, signal),
        );
      } catch (err) {
        // Said with what the lookup found (the instance's name), once it has.
        await looked;
        throw withContext(err, context('SendSSHPublicKey'));
      }
    },
    async open(target: ProxyTarget): Promise<Duplex> {
      if (endpoint) {
        try {
          // The tunnel (ws, and https-proxy-agent for HTTPS_PROXY) is loaded only when a connection goes through an endpoint.
          const { openTunnel } = await import('../eice/tunnel');
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
