import type { Ec2Instance } from '../aws/model';
import type { PrivateAddressPolicy } from '../base/settings';
import { instanceDescription } from '../errors/activity';
import { ProductError } from '../errors/productError';

export type AddressKind = 'public IPv4' | 'public IPv6' | 'private IPv4';

export interface ChosenAddress {
  host: string;
  kind: AddressKind;
}

/**
 * Where to connect: the public IPv4 address, else the public IPv6 one, else the private address when
 * the `usePrivateAddress` setting says it is reachable from here (VPN, same VPC). `always` prefers the
 * private address even when there is a public one.
 */
export function chooseAddress(
  instance: Pick<Ec2Instance, 'instanceId' | 'name' | 'region' | 'publicIpv4' | 'publicIpv6' | 'privateIpv4'>,
  policy: PrivateAddressPolicy,
): ChosenAddress {
  const candidates: (ChosenAddress | undefined)[] = [
    policy === 'always' && instance.privateIpv4 ? { host: instance.privateIpv4, kind: 'private IPv4' } : undefined,
    policy !== 'always' && instance.publicIpv4 ? { host: instance.publicIpv4, kind: 'public IPv4' } : undefined,
    policy !== 'always' && instance.publicIpv6 ? { host: instance.publicIpv6, kind: 'public IPv6' } : undefined,
    policy === 'whenNoPublicAddress' && instance.privateIpv4 ? { host: instance.privateIpv4, kind: 'private IPv4' } : undefined,
  ];
  const chosen = candidates.find((c) => c !== undefined);
  if (chosen) return chosen;
  throw new ProductError('noAddress', noAddressMessage(instance, policy));
}

function noAddressMessage(instance: Parameters<typeof chooseAddress>[0], policy: PrivateAddressPolicy): string {
  const who = instanceDescription(instance);
  const reach =
    'To reach it, give it a public IP address (and a security group that allows SSH from you), or connect through an EC2 Instance Connect Endpoint in its VPC.';
  if (policy === 'always') {
    return `${who} has no private IP address, and the setting ec2InstanceConnect.usePrivateAddress is "always". Change the setting to "never" or "whenNoPublicAddress" to use its public address.`;
  }
  if (policy === 'never' && instance.privateIpv4) {
    return `${who} has no public IP address, only the private address ${instance.privateIpv4}. If this computer can reach its VPC (VPN, Direct Connect, same VPC), set ec2InstanceConnect.usePrivateAddress to "whenNoPublicAddress". ${reach}`;
  }
  return `${who} has no IP address this computer can connect to. ${reach}`;
}
