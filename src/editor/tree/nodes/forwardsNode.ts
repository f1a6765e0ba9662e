import { type Ec2Instance, instanceLabel } from '../../../core/aws/model';
import type { Forward } from '../../../core/forward/forward';
import type { NodeView } from '../nodeView';
import { instanceNodeId } from './instanceNode';

/** "Forwarded ports": the forwards of one instance, under its row. */
export interface ForwardsNode {
  readonly kind: 'forwards';
  instance: Ec2Instance;
  forwards: readonly Forward[];
}

export function forwardsNodeId(instance: Ec2Instance): string {
  return `${instanceNodeId(instance)}:forwards`;
}

export function describeForwardsNode(node: ForwardsNode): NodeView {
  return {
    id: forwardsNodeId(node.instance),
    label: 'Forwarded ports',
    description: String(node.forwards.length),
    tooltip: `Ports of ${instanceLabel(node.instance)} forwarded to this computer. They keep running when its terminals close.`,
    contextValue: 'forwards',
    icon: { id: 'plug' },
    collapsible: 'expanded',
  };
}
