import { type Ec2Instance, instanceLabel, type InstanceState } from '../../../core/aws/model';
import { oneLine } from '../../../core/base/sanitize';
import type { Reach } from '../../../core/eice/reach';
import type { Forward } from '../../../core/forward/forward';
import type { NodeView } from '../nodeView';

/** An instance row. `instance` is what every instance command reads (Connect, Start, Copy…). */
export interface InstanceNode {
  readonly kind: 'instance';
  /** Replaced in place when the instance is refreshed, so the row keeps its identity. */
  instance: Ec2Instance;
  /** How Connect will reach it (a Linux instance that is not terminated). */
  reach?: Reach;
  /** Its forwarded ports: a "Forwarded ports" row under it when there are some. */
  forwards?: readonly Forward[];
}

const stateIcons: Record<InstanceState, { id: string; color: string }> = {
  running: { id: 'vm-running', color: 'charts.green' },
  pending: { id: 'loading~spin', color: 'charts.yellow' },
  stopping: { id: 'loading~spin', color: 'charts.orange' },
  stopped: { id: 'vm-outline', color: 'disabledForeground' },
  'shutting-down': { id: 'loading~spin', color: 'charts.red' },
  terminated: { id: 'circle-slash', color: 'charts.red' },
};

export function instanceNodeId(instance: Ec2Instance): string {
  return `instance:${instance.profile ?? ''}/${instance.region}/${instance.instanceId}`;
}

/** `instance-<state>-<linux|windows>[-serial][-ip][-noEndpoint]`: the menus offer only what works on it. */
export function instanceContextValue(instance: Ec2Instance, reach?: Reach): string {
  const serial = instance.serialCapable ? '-serial' : '';
  const ip = instance.publicIpv4 || instance.publicIpv6 || instance.privateIpv4 ? '-ip' : '';
  const noEndpoint = reach?.kind === 'noEndpoint' ? '-noEndpoint' : '';
  return `instance-${instance.state}-${instance.platform}${serial}${ip}${noEndpoint}`;
}

/** Plain text: tag keys and values are untrusted and shown as they are, one per line. */
export function instanceTooltip(instance: Ec2Instance, reach?: Reach): string {
  const line = (title: string, value: string | undefined) => (value ? [`${title}: ${oneLine(value)}`] : []);
  const tags = instance.tags.map((tag) => `  ${oneLine(tag.key, 128)} = ${oneLine(tag.value)}`);
  return [
    ...(instance.name ? [oneLine(instance.name)] : []),
    `${instance.instanceId} · ${instance.instanceType} · ${instance.state}`,
    ...(reach ? [oneLine(reach.text, 300)] : []),
    ...line('Availability zone', instance.availabilityZone ?? instance.region),
    ...line('Public IPv4', instance.publicIpv4),
    ...line('Public IPv6', instance.publicIpv6),
    ...line('Private IPv4', instance.privateIpv4),
    ...line('VPC', instance.vpcId && `${instance.vpcId}${instance.subnetId ? ` · ${instance.subnetId}` : ''}`),
    ...line('Public DNS', instance.publicDnsName),
    ...line('Platform', instance.platformDetails ?? (instance.platform === 'windows' ? 'Windows' : 'Linux/UNIX')),
    ...line('Launched', instance.launchTime?.toISOString()),
    ...line('Image', instance.imageId),
    ...(tags.length ? ['Tags:', ...tags] : []),
  ].join('\n');
}

export function describeInstanceNode(node: InstanceNode): NodeView {
  const instance = node.instance;
  const facts = instance.name ? [instance.instanceId, instance.instanceType, instance.state] : [instance.instanceType, instance.state];
  const noWayIn = node.reach?.kind === 'noEndpoint';
  if (noWayIn) facts.push('no way in');
  else if (node.reach?.kind === 'eice') facts.push('via endpoint');
  const hasForwards = !!node.forwards?.length;
  return {
    // VS Code keeps a row's expansion under its id, and a row that had no children stays collapsed when it gets
    // some: the row with forwards is another id, so that "Forwarded ports" shows (expanded) as soon as one starts.
    id: hasForwards ? `${instanceNodeId(instance)}:forwarding` : instanceNodeId(instance),
    label: instanceLabel(instance),
    description: facts.join(' · '),
    tooltip: instanceTooltip(instance, node.reach),
    contextValue: instanceContextValue(instance, node.reach),
    icon: noWayIn && instance.state === 'running' ? { id: 'warning', color: 'list.warningForeground' } : (stateIcons[instance.state] ?? { id: 'vm' }),
    collapsible: hasForwards ? 'expanded' : 'none',
  };
}
