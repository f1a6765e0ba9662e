import type { AwsProfile } from '../../../core/aws/profiles';
import type { NodeView } from '../nodeView';

export interface ProfileNode {
  readonly kind: 'profile';
  readonly profile: AwsProfile;
  readonly regions: readonly string[];
}

export function profileNodeId(profile: AwsProfile): string {
  return `profile:${profile.name ?? ''}`;
}

const sourceNames: Partial<Record<AwsProfile['source'], string>> = {
  sso: 'IAM Identity Center',
  environment: 'environment variables',
  assumeRole: 'assumed role',
  process: 'credential process',
  webIdentity: 'web identity',
};

export function describeProfileNode(node: ProfileNode): NodeView {
  const source = sourceNames[node.profile.source];
  const regions = node.regions.length === 1 ? node.regions[0] : `${node.regions.length} regions`;
  return {
    id: profileNodeId(node.profile),
    label: node.profile.label,
    description: source ? `${regions} · ${source}` : regions,
    tooltip: `Profile ${node.profile.label}${source ? ` (${source})` : ''}\nRegions: ${node.regions.join(', ')}`,
    contextValue: node.profile.source === 'sso' ? 'profile-sso' : 'profile',
    icon: { id: 'account' },
    collapsible: 'expanded',
  };
}
