import type { AwsProfile } from '../../core/aws/profiles';
import type { Services } from '../services/services';

/**
 * Waits `seconds` with a visible countdown in a cancellable progress notification.
 * Resolves true when the time is up, false when the user cancelled.
 */
export function waitWithCountdown(services: Services, title: string, seconds: number): Promise<boolean> {
  return services.ui.withProgress(title, async (signal, report) => {
    for (let left = seconds; left > 0; left--) {
      report(`${left} s`);
      if (!(await sleep(1000, signal))) return false;
    }
    return !signal.aborted;
  });
}

function sleep(ms: number, signal: AbortSignal): Promise<boolean> {
  if (signal.aborted) return Promise.resolve(false);
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve(true);
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      resolve(false);
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export interface AccountRegion {
  profile?: string;
  region: string;
}

/**
 * "Enable for This Account…": a modal that says what changes (one setting for the whole account in the
 * region), then EnableSerialConsoleAccess. Resolves true once enabled; false when the user declined.
 * A failure (IAM denies ec2:EnableSerialConsoleAccess) is thrown for the caller to report.
 */
export async function confirmAndEnableSerialConsole(services: Services, target: AccountRegion): Promise<boolean> {
  const who = target.profile ? `the AWS account of profile "${target.profile}"` : 'this AWS account';
  const choice = await services.ui.showMessage('warning', `Enable the EC2 serial console for ${who} in ${target.region}?`, ['Enable'], {
    modal: true,
    detail:
      'This turns on an account-wide setting (ec2:EnableSerialConsoleAccess) for this region: whoever IAM allows ' +
      'ec2-instance-connect:SendSerialConsoleSSHPublicKey can then reach the serial console of any Nitro-based instance in it. ' +
      'It can be turned off again in the EC2 console (Settings → EC2 Serial Console).',
  });
  if (choice !== 'Enable') return false;
  const enabled = await services.ui.withProgress(`Enabling the serial console in ${target.region}…`, (abortSignal) =>
    services.core().enableSerialConsoleAccess(services.aws().ec2Client(target), abortSignal),
  );
  services.log.info(`[serial] serial console access enabled for ${target.profile ?? 'the default credentials'} in ${target.region}: ${enabled}`);
  return enabled;
}

/**
 * "Switch Profile": another profile to do the same thing with (one with more permissions, or the account
 * the instance is in). Resolves to its name (undefined = the default credential chain), or null when dismissed.
 */
export async function pickAnotherProfile(services: Services, current: string | undefined, doing: string): Promise<string | undefined | null> {
  const profiles = (await services.core().loadProfiles()).filter((p: AwsProfile) => p.name !== current);
  if (profiles.length === 0) {
    const choice = await services.ui.showMessage('info', 'There is no other AWS profile to use. Add one to ~/.aws/config, then try again.', ['Open AWS Config File']);
    if (choice) await services.ui.executeCommand('ec2InstanceConnect.openAwsConfig');
    return null;
  }
  const chosen = await services.ui.pick(
    profiles.map((p) => ({ label: p.label, description: [p.region, p.source].filter(Boolean).join(' · '), value: p })),
    { title: `Profile to ${doing} with`, placeholder: current ? `Instead of "${current}"` : undefined },
  );
  return chosen ? chosen.name : null;
}
