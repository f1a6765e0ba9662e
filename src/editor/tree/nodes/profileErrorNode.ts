import type { AwsProfile } from '../../../core/aws/profiles';
import type { ProfileProblem as InventoryProblem } from '../../../core/inventory/inventory';
import { type CommandId, commandIds } from '../../services/commandIds';
import type { NodeView } from '../nodeView';
import { profileNodeId } from './profileNode';

/**
 * A profile that cannot list anything, with the action that fixes it:
 * - `signIn`: the IAM Identity Center session (or session credentials) expired → Sign In;
 * - `credentials`: keys missing, unknown or rejected → Open AWS Config File;
 * - `noRegion`: neither the profile nor the settings name a region → Choose Regions.
 */
export type ProfileProblem = InventoryProblem['kind'];

export interface ProfileErrorNode {
  readonly kind: 'profileError';
  readonly profile: AwsProfile;
  readonly problem: ProfileProblem;
  readonly message: string;
}

const fixes: Record<ProfileProblem, { id: CommandId; title: string; summary: string }> = {
  signIn: { id: commandIds.signIn, title: 'Sign In…', summary: 'sign-in needed' },
  credentials: { id: commandIds.openAwsConfig, title: 'Open AWS Config File', summary: 'credentials not usable' },
  noRegion: { id: commandIds.chooseRegions, title: 'Choose Regions…', summary: 'no region set' },
};

export function describeProfileErrorNode(node: ProfileErrorNode): NodeView {
  const fix = fixes[node.problem];
  return {
    id: `${profileNodeId(node.profile)}:error`,
    label: node.profile.label,
    description: `${fix.summary}: ${node.message}`,
    tooltip: `${node.message}\nClick to ${fix.title.replace(/…$/, '').toLowerCase()}.`,
    contextValue: `profileError-${node.problem}`,
    icon: { id: node.problem === 'noRegion' ? 'warning' : 'error', color: node.problem === 'noRegion' ? 'list.warningForeground' : 'list.errorForeground' },
    collapsible: 'none',
    command: { id: fix.id, title: fix.title },
  };
}
