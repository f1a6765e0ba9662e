import type { AwsProfile } from '../../../core/aws/profiles';
import type { NodeView } from '../nodeView';

/** A region of a profile, holding its instances. Mutated in place while the region loads. */
export interface RegionNode {
  readonly kind: 'region';
  readonly profile: AwsProfile;
  readonly region: string;
  status: 'loading' | 'loaded';
  /** Instances listed so far. */
  total: number;
  /** Instances matching the filter, when one is set. */
  matching?: number;
  expanded: boolean;
}

export function regionNodeId(profile: AwsProfile, region: string): string {
  return `region:${profile.name ?? ''}/${region}`;
}

function plural(count: number): string {
  return `${count} instance${count === 1 ? '' : 's'}`;
}

export function describeRegionNode(node: RegionNode): NodeView {
  const count = node.matching === undefined ? plural(node.total) : `${node.matching} of ${plural(node.total)}`;
  const description = node.status === 'loading' ? (node.total ? `${count}, loading…` : 'loading…') : count;
  return {
    id: regionNodeId(node.profile, node.region),
    label: node.region,
    description,
    tooltip: `${node.region} (${node.profile.label}): ${description}`,
    contextValue: 'region',
    icon: { id: 'globe' },
    collapsible: node.expanded ? 'expanded' : 'collapsed',
  };
}
