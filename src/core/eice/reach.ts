import type { Ec2Instance } from '../aws/model';
import type { ConnectionType } from '../base/settings';
import { isProductError } from '../errors/productError';
import { planRoute } from '../transport/address';
import type { InstanceConnectEndpoint } from './endpoints';
import { pickEndpoint } from './pickEndpoint';

/** A region's endpoints as a listing knows them: being looked up, found, or not (the lookup failed, with why). */
export type EndpointsKnown =
  | { status: 'loading' }
  | { status: 'loaded'; endpoints: readonly InstanceConnectEndpoint[] }
  | { status: 'failed'; message: string };

/** How an instance will be reached, for its row: read without any network call, from what the listing knows. */
export type Reach =
  | { kind: 'direct'; text: string }
  | { kind: 'eice'; endpoint: InstanceConnectEndpoint; text: string }
  | { kind: 'noEndpoint'; vpcId?: string; text: string }
  | { kind: 'unknown'; text: string };

/** Instances whose way in may need an endpoint: the ones the listing looks endpoints up for. */
export function mayNeedEndpoint(instance: Ec2Instance): boolean {
  return instance.state !== 'terminated' && instance.state !== 'shutting-down' && !instance.publicIpv4 && instance.privateIpv4 !== undefined;
}

export function reachOf(instance: Ec2Instance, type: ConnectionType, known: EndpointsKnown | undefined): Reach | undefined {
  if (instance.state === 'terminated' || instance.state === 'shutting-down') return undefined;
  let plan;
  try {
    plan = planRoute(instance, type);
  } catch (err) {
    return { kind: 'unknown', text: isProductError(err) ? err.message : String(err) };
  }
  if (plan.kind === 'direct') return { kind: 'direct', text: `Reached directly at its ${plan.addressKind} address ${plan.host}` };
  if (!known || known.status === 'loading') return { kind: 'unknown', text: 'Reached through an EC2 Instance Connect Endpoint (looking them up…)' };
  if (known.status === 'failed') return { kind: 'unknown', text: `Reached through an EC2 Instance Connect Endpoint, but they could not be looked up: ${known.message}` };
  const endpoint = pickEndpoint(known.endpoints, instance);
  if (endpoint) return { kind: 'eice', endpoint, text: `Reached through EC2 Instance Connect Endpoint ${endpoint.id} (${endpoint.subnetId})` };
  return { kind: 'noEndpoint', vpcId: instance.vpcId, text: `No way in: no public address and no Instance Connect Endpoint in ${instance.vpcId ?? 'its VPC'}` };
}
