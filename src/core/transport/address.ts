import type { Ec2Instance } from '../aws/model';
import type { ConnectionType } from '../base/settings';
import { instanceDescription } from '../errors/activity';
import { ProductError } from '../errors/productError';

export type AddressKind = 'public IPv4' | 'public IPv6' | 'private IPv4';

/** The way in chosen for an instance, before any network call: straight to an address, or through an endpoint to its private address. */
export type RoutePlan =
  | { kind: 'direct'; host: string; addressKind: AddressKind }
  | { kind: 'eice'; privateIp: string; addressKind: 'private IPv4' };

type Addressed = Pick<Ec2Instance, 'instanceId' | 'name' | 'region' | 'publicIpv4' | 'publicIpv6' | 'privateIpv4'>;

/**
 * AWS CLI v2's rule (`aws ec2-instance-connect ssh --connection-type`), with `privateAddress` for VPN users:
 * `auto` is the public IPv4 address, else the private IPv4 one through an endpoint, else the IPv6 one;
 * `direct` is the public IPv4, else IPv6, else private IPv4 address, straight; `eice` is the private IPv4
 * address through an endpoint. Throws `noAddress` when the instance has none of what the rule needs.
 */
export function planRoute(instance: Addressed, type: ConnectionType): RoutePlan {
  const publicV4 = instance.publicIpv4 ? ({ kind: 'direct', host: instance.publicIpv4, addressKind: 'public IPv4' } as const) : undefined;
  const ipv6 = instance.publicIpv6 ? ({ kind: 'direct', host: instance.publicIpv6, addressKind: 'public IPv6' } as const) : undefined;
  const privateV4 = instance.privateIpv4 ? ({ kind: 'direct', host: instance.privateIpv4, addressKind: 'private IPv4' } as const) : undefined;
  const tunnel = instance.privateIpv4 ? ({ kind: 'eice', privateIp: instance.privateIpv4, addressKind: 'private IPv4' } as const) : undefined;
  const order: Record<ConnectionType, (RoutePlan | undefined)[]> = {
    auto: [publicV4, tunnel, ipv6],
    direct: [publicV4, ipv6, privateV4],
    privateAddress: [privateV4],
    eice: [tunnel],
  };
  const plan = order[type].find((candidate) => candidate !== undefined);
  if (plan) return plan;
  throw new ProductError('noAddress', noAddressMessage(instance, type), { connectionType: type });
}

function noAddressMessage(instance: Addressed, type: ConnectionType): string {
  const who = instanceDescription(instance);
  if (type === 'privateAddress' || type === 'eice') {
    const how = type === 'eice' ? 'through an EC2 Instance Connect Endpoint' : 'straight to its private address';
    return `${who} has no private IPv4 address to connect to ${how}. Choose another connection type for it (Choose Connection Type…, or the setting ec2InstanceConnect.connectionType).`;
  }
  return `${who} has no IP address: it may be stopped, or its network interface is detached. Start it, or attach a network interface.`;
}

/** How a route reads in a tooltip, a status line or a log: "public IPv4 203.0.113.10", "private IPv4 10.0.1.5 through eice-0abc…". */
export function describePlan(plan: RoutePlan, endpointId?: string): string {
  if (plan.kind === 'direct') return `${plan.addressKind} ${plan.host}`;
  return `private IPv4 ${plan.privateIp} through ${endpointId ?? 'an EC2 Instance Connect Endpoint'}`;
}
