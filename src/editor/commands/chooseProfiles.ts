import { type AwsProfile, profileSettingName, selectProfiles } from '../../core/aws/profiles';
import { cancelled } from '../../core/errors/productError';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

const sourceNames: Record<AwsProfile['source'], string> = {
  environment: 'environment variables',
  static: 'access keys',
  sso: 'IAM Identity Center',
  assumeRole: 'assumed role',
  process: 'credential process',
  webIdentity: 'web identity',
  unknown: 'no credentials found',
};

/** Which profiles the view lists, saved to `ec2InstanceConnect.profiles` (all of them = the empty default). */
export const chooseProfiles: CommandDefinition = {
  id: commandIds.chooseProfiles,
  run: async (services) => {
    const all = await services.core().loadProfiles();
    if (all.length === 0) {
      const choice = await services.ui.showMessage(
        'warning',
        'No AWS profiles were found in ~/.aws/config or ~/.aws/credentials, and no credentials are set in the environment.',
        ['Open AWS Config File'],
      );
      if (choice) await services.ui.executeCommand(commandIds.openAwsConfig);
      return;
    }
    const shown = new Set(selectProfiles(all, services.settings().profiles, process.env).map(profileSettingName));
    const chosen = await services.ui.pickMany(
      all.map((p) => ({
        label: p.label,
        description: [p.region ?? 'no region', sourceNames[p.source]].join(' · '),
        picked: shown.has(profileSettingName(p)),
        value: profileSettingName(p),
      })),
      { title: 'Profiles to show in the EC2 view', placeholder: 'Choose one or more profiles' },
    );
    if (!chosen) throw cancelled();
    // Every profile chosen is stored as "all", so profiles added later show up too.
    await services.ui.updateSetting('ec2InstanceConnect.profiles', chosen.length === all.length ? [] : chosen);
  },
};
