import type { Forward } from '../../../core/forward/forward';
import { forwardDescription, forwardLabel, forwardTooltip } from '../../services/forwardText';
import type { NodeView } from '../nodeView';

/** One forwarded port, under its instance's "Forwarded ports". Forward commands (Stop, Open in Browser, Copy) read `forward`. */
export interface ForwardNode {
  readonly kind: 'forward';
  readonly forward: Forward;
  /** The "Forwarded ports" row it is under. */
  readonly parentId: string;
}

const stateIcons: Record<Forward['state'], { id: string; color?: string }> = {
  open: { id: 'arrow-right' },
  connecting: { id: 'loading~spin' },
  dropped: { id: 'debug-disconnect', color: 'list.warningForeground' },
  failed: { id: 'error', color: 'list.errorForeground' },
  stopped: { id: 'circle-slash' },
};

/** `forward-<ssh|endpoint>-<state>`: Open in Browser is for SSH forwards (an RDP tunnel is no web page). */
export function forwardContextValue(forward: Forward): string {
  return `forward-${forward.kind}-${forward.state}`;
}

export function describeForwardNode(node: ForwardNode): NodeView {
  const { forward } = node;
  const warn = forward.state === 'open' && forward.problem;
  return {
    id: `${node.parentId}/${forward.id}`,
    label: forwardLabel(forward),
    description: forwardDescription(forward),
    tooltip: forwardTooltip(forward),
    contextValue: forwardContextValue(forward),
    icon: warn ? { id: 'warning', color: 'list.warningForeground' } : stateIcons[forward.state],
    collapsible: 'none',
  };
}
