import type { AwsProfile } from '../aws/profiles';
import type { ProfileErrorNode } from '../tree/nodes';
import type { CommandDefinition } from './services';

const ssoDocs = 'https://docs.aws.amazon.com/cli/latest/userguide/sso-using-profile.html';

function isProfileErrorNode(value: unknown): value is ProfileErrorNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'profileError';
}

/**
 * The fix for a profile whose sign-in expired. For IAM Identity Center profiles: the one command that
 * renews the session, to copy, then Refresh. For expired session keys: the credentials file.
 */
export const signIn: CommandDefinition = {
  id: 'ec2InstanceConnect.signIn',
  run: async (services, node) => {
    if (!isProfileErrorNode(node)) return;
    const profile: AwsProfile = node.profile;
    if (profile.source !== 'sso') {
      const choice = await services.ui.showMessage(
        'warning',
        `The session credentials of ${profile.name ? `profile "${profile.label}"` : 'the environment'} have expired. Put fresh ones in ~/.aws/credentials (or the environment), then Refresh.`,
        profile.name ? ['Open AWS Config File', 'Refresh'] : ['Refresh'],
      );
      if (choice === 'Open AWS Config File') await services.ui.executeCommand('ec2InstanceConnect.openAwsConfig', { ...node, problem: 'credentials' });
      if (choice === 'Refresh') await services.ui.executeCommand('ec2InstanceConnect.refresh');
      return;
    }
    const command = `aws sso login --profile ${profile.name}`;
    const choice = await services.ui.showMessage(
      'warning',
      `Profile "${profile.label}" signs in with IAM Identity Center, and its session has expired. Renew it from a terminal with "${command}" (this needs the AWS CLI), then Refresh.`,
      ['Copy Command', 'Refresh', 'Learn More'],
      { detail: profile.sso?.startUrl ? `Start URL: ${profile.sso.startUrl}` : undefined },
    );
    if (choice === 'Copy Command') await services.ui.copyToClipboard(command);
    if (choice === 'Refresh') await services.ui.executeCommand('ec2InstanceConnect.refresh');
    if (choice === 'Learn More') await services.ui.openExternal(ssoDocs);
  },
};
