import type { Services } from '../services/services';

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
  services.log.child('serial').info(`serial console access enabled for ${target.profile ?? 'the default credentials'} in ${target.region}: ${enabled}`);
  return enabled;
}
