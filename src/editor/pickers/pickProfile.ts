import type { AwsProfile } from '../../core/aws/profiles';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';

/**
 * "Switch Profile": another profile to do the same thing with (one with more permissions, or the account
 * the instance is in). Resolves to its name (undefined = the default credential chain), or null when dismissed.
 */
export async function pickAnotherProfile(services: Services, current: string | undefined, doing: string): Promise<string | undefined | null> {
  const profiles = (await services.core().loadProfiles()).filter((p: AwsProfile) => p.name !== current);
  if (profiles.length === 0) {
    const choice = await services.ui.showMessage('info', 'There is no other AWS profile to use. Add one to ~/.aws/config, then try again.', ['Open AWS Config File']);
    if (choice) await services.ui.executeCommand(commandIds.openAwsConfig);
    return null;
  }
  const chosen = await services.ui.pick(
    profiles.map((p) => ({ label: p.label, description: [p.region, p.source].filter(Boolean).join(' · '), value: p })),
    { title: `Profile to ${doing} with`, placeholder: current ? `Instead of "${current}"` : undefined },
  );
  return chosen ? chosen.name : null;
}
