import type { NodeView } from '../nodeView';

/**
 * A row that only informs: a region still loading, a region with no (matching) instances, an opt-in
 * region skipped because the account has not enabled it.
 */
export interface MessageNode {
  readonly kind: 'message';
  readonly id: string;
  readonly label: string;
  readonly description?: string;
  readonly tooltip?: string;
  readonly icon?: string;
}

export function describeMessageNode(node: MessageNode): NodeView {
  return {
    id: node.id,
    label: node.label,
    description: node.description,
    tooltip: node.tooltip,
    contextValue: 'message',
    icon: node.icon ? { id: node.icon } : undefined,
    collapsible: 'none',
  };
}
