import { type Ec2Instance, instanceTitle } from '../../core/aws/model';
import type { ConnectionType } from '../../core/base/settings';
import type { Services } from '../services/services';
import type { PickItem } from '../services/ui';

/** What each way in means, in the words of the setting's own descriptions. */
export const connectionTypeLabels: Record<ConnectionType, { label: string; detail: string }> = {
  auto: { label: 'Automatic', detail: 'Its public IPv4 address, else its private address through an EC2 Instance Connect Endpoint, else its IPv6 address' },
  direct: { label: 'Direct', detail: 'Straight to its public IPv4, else IPv6, else private IPv4 address' },
  privateAddress: { label: 'Private address', detail: 'Straight to its private IPv4 address: this computer is in its VPC or on a VPN to it' },
  eice: { label: 'EC2 Instance Connect Endpoint', detail: "Its private IPv4 address, through an endpoint in its subnet or VPC: no public address needed" },
};

/** The pick behind Choose Connection Type…: one of the four, or `undefined` in `value` to follow the setting again. */
export async function pickConnectionType(services: Services, instance: Ec2Instance, current: ConnectionType | undefined): Promise<{ value: ConnectionType | undefined } | undefined> {
  const setting = services.settings().connectionType;
  const items: PickItem<{ value: ConnectionType | undefined }>[] = (Object.keys(connectionTypeLabels) as ConnectionType[]).map((type) => ({
    label: connectionTypeLabels[type].label,
    description: type === current ? 'chosen for this instance' : undefined,
    detail: connectionTypeLabels[type].detail,
    value: { value: type },
  }));
  items.push({
    label: 'Use the setting',
    description: `${connectionTypeLabels[setting].label}${current === undefined ? ' (now)' : ''}`,
    detail: 'ec2InstanceConnect.connectionType',
    value: { value: undefined },
  });
  return services.ui.pick(items, { title: `How to reach ${instanceTitle(instance)}`, placeholder: 'Connect, Remote-SSH and the tree use this for this instance' });
}
