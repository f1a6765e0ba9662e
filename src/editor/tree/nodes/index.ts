import type { NodeView } from '../nodeView';
import { describeForwardNode, type ForwardNode } from './forwardNode';
import { describeForwardsNode, type ForwardsNode } from './forwardsNode';
import { describeInstanceNode, type InstanceNode } from './instanceNode';
import { describeMessageNode, type MessageNode } from './messageNode';
import { describeProfileErrorNode, type ProfileErrorNode } from './profileErrorNode';
import { describeProfileNode, type ProfileNode } from './profileNode';
import { describeRegionErrorNode, type RegionErrorNode } from './regionErrorNode';
import { describeRegionNode, type RegionNode } from './regionNode';

export type { ForwardNode, ForwardsNode, InstanceNode, MessageNode, ProfileErrorNode, ProfileNode, RegionErrorNode, RegionNode };

/** Every kind of row in the instances view. Commands receive these as their first argument. */
export type ExplorerNode = ProfileNode | ProfileErrorNode | RegionNode | RegionErrorNode | InstanceNode | ForwardsNode | ForwardNode | MessageNode;

export function describeNode(node: ExplorerNode): NodeView {
  switch (node.kind) {
    case 'profile':
      return describeProfileNode(node);
    case 'profileError':
      return describeProfileErrorNode(node);
    case 'region':
      return describeRegionNode(node);
    case 'regionError':
      return describeRegionErrorNode(node);
    case 'instance':
      return describeInstanceNode(node);
    case 'forwards':
      return describeForwardsNode(node);
    case 'forward':
      return describeForwardNode(node);
    case 'message':
      return describeMessageNode(node);
  }
}
