import type { AwsProfile } from '../../../core/aws/profiles';
import { commandIds } from '../../services/commandIds';
import type { NodeView } from '../nodeView';
import { regionNodeId } from './regionNode';

/** A region whose listing failed: the reason, and Retry (inline and on click). Other regions stay. */
export interface RegionErrorNode {
  readonly kind: 'regionError';
  readonly profile: AwsProfile;
  readonly region: string;
  /** What happened, why and what to do, in plain words (describeFailure). */
  readonly message: string;
}

export function describeRegionErrorNode(node: RegionErrorNode): NodeView {
  return {
    id: `${regionNodeId(node.profile, node.region)}:error`,
    label: node.region,
    description: node.message,
    tooltip: `Could not list the instances of ${node.region} (${node.profile.label}).\n${node.message}\nClick to retry.`,
    contextValue: 'regionError',
    icon: { id: 'error', color: 'list.errorForeground' },
    collapsible: 'none',
    command: { id: commandIds.retryRegion, title: 'Retry' },
  };
}
