import type { AwsProfile } from '../../core/aws/profiles';
import type { DeviceAuthorization } from '../../core/aws/ssoLogin';
import { isAbortError } from '../../core/base/abort';
import { describeThrown } from '../../core/base/log';
import { describeFailure } from '../../core/errors/describe';
import { cancelled } from '../../core/errors/productError';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import type { ProfileErrorNode } from '../tree/nodes';
import type { CommandDefinition } from './command';

function isProfileErrorNode(value: unknown): value is ProfileErrorNode {
  return typeof value === 'object' && value !== null && (value as { kind?: unknown }).kind === 'profileError';
}

/**
 * The fix for a profile whose sign-in expired. IAM Identity Center profiles sign in here, with the
 * device flow (a code confirmed in the browser), no AWS CLI needed. Expired session keys can only be
 * replaced in the credentials file. Resolves true once signed in (what a failed operation waits for to retry).
 */
export const signIn: CommandDefinition = {
  id: commandIds.signIn,
  run: async (services, node) => {
    if (!isProfileErrorNode(node)) return false;
    const profile = node.profile;
    if (profile.source === 'sso') return signInWithSso(services, profile);
    const choice = await services.ui.showMessage(
      'warning',
      `The session credentials of ${profile.name ? `profile "${profile.label}"` : 'the environment'} have expired. Put fresh ones in ~/.aws/credentials (or the environment), then Refresh.`,
      profile.name ? ['Open AWS Config File', 'Refresh'] : ['Refresh'],
    );
    if (choice === 'Open AWS Config File') await services.ui.executeCommand(commandIds.openAwsConfig, { ...node, problem: 'credentials' });
    if (choice === 'Refresh') await services.ui.executeCommand(commandIds.refresh);
    return false;
  },
};

async function signInWithSso(services: Services, profile: AwsProfile): Promise<boolean> {
  const core = services.core();
  const log = services.log.child('explorer');
  let result: { expiresAt: string };
  try {
    result = await services.ui.withProgress(`Signing in to IAM Identity Center for profile "${profile.label}"…`, (abortSignal) =>
      core.ssoDeviceLogin({ sso: profile.sso ?? {}, abortSignal, onAuthorization: (authorization) => void showCode(services, authorization) }),
    );
  } catch (err) {
    if (isAbortError(err)) throw cancelled();
    log.error(`sign-in for profile ${profile.label} failed: ${describeThrown(err)}`);
    const command = `aws sso login --profile ${profile.name}`;
    const reason = describeFailure(err, { operation: 'signIn', profile: profile.name }).message;
    const choice = await services.ui.showMessage(
      'error',
      `${reason} Try again, or sign in from a terminal with "${command}" (needs the AWS CLI), then Refresh.`,
      ['Retry', 'Copy Command', 'Show Log'],
    );
    if (choice === 'Retry') return signInWithSso(services, profile);
    if (choice === 'Copy Command') await services.ui.copyToClipboard(command);
    if (choice === 'Show Log') services.showLog();
    return false;
  }
  log.info(`signed in for profile ${profile.label} until ${result.expiresAt}`);
  services.aws().reset();
  await services.inventory.refresh();
  void services.ui.showMessage('info', `Signed in: profile "${profile.label}" works again until ${new Date(result.expiresAt).toLocaleString()}.`);
  return true;
}

/** The code to confirm, with the browser one click away; the sign-in goes on polling meanwhile. */
async function showCode(services: Services, authorization: DeviceAuthorization): Promise<void> {
  const url = authorization.verificationUriComplete ?? authorization.verificationUri;
  const choice = await services.ui.showMessage(
    'info',
    `To sign in, open the AWS sign-in page and confirm that it shows the code ${authorization.userCode}.`,
    ['Open Browser', 'Copy Code'],
  );
  if (choice === 'Open Browser') await services.ui.openExternal(url);
  if (choice === 'Copy Code') await services.ui.copyToClipboard(authorization.userCode);
}
