import { selectProfiles } from '../../core/aws/profiles';
import { resolveRegion } from '../../core/aws/region';
import { cancelled } from '../../core/errors/productError';
import { reportFailure } from '../failures/reportFailure';
import { commandIds } from '../services/commandIds';
import type { CommandDefinition } from './command';

/** The region DescribeRegions is asked in when no profile names one: enabled in every commercial account. */
const fallbackRegion = 'us-east-1';

/**
 * Offers the account's regions (DescribeRegions) in a multi-select and saves the choice to
 * `ec2InstanceConnect.regions`. Opt-in regions the account has not enabled are left out, with a note.
 */
export const chooseRegions: CommandDefinition = {
  id: commandIds.chooseRegions,
  run: async (services) => {
    const settings = services.settings();
    const core = services.core();
    const profile = selectProfiles(await core.loadProfiles(), settings.profiles, process.env)[0];
    const ownRegion = resolveRegion({ profileRegion: profile?.region });
    const target = { profile: profile?.name, region: ownRegion ?? settings.regions[0] ?? fallbackRegion };
    let regions;
    try {
      regions = await services.ui.withProgress('Reading the regions of your account…', (signal) =>
        core.describeRegions(services.aws().ec2Client(target), signal),
      );
    } catch (err) {
      await reportFailure(services, err, { operation: 'DescribeRegions', region: target.region, profile: target.profile });
      return;
    }
    const current = new Set(settings.regions.length ? settings.regions : ownRegion ? [ownRegion] : []);
    const enabled = regions.filter((r) => r.enabled);
    const disabled = regions.filter((r) => !r.enabled).map((r) => r.name);
    const chosen = await services.ui.pickMany(
      enabled.map((r) => ({
        label: r.name,
        description: r.optInStatus === 'opted-in' ? 'opt-in region' : undefined,
        picked: current.has(r.name),
        value: r.name,
      })),
      {
        title: 'Regions to list instances in',
        placeholder: disabled.length
          ? `Not offered: ${disabled.length} opt-in regions this account has not enabled (${disabled.join(', ')})`
          : 'Choose one or more regions',
      },
    );
    if (!chosen) throw cancelled();
    await services.ui.updateSetting('ec2InstanceConnect.regions', chosen);
    if (chosen.length === 0) {
      await services.ui.showMessage('info', "No region chosen: each profile's own region is listed.");
    }
  },
};
