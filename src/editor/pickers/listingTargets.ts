import { knownRegions } from '../../core/aws/knownRegions';
import type { AwsTarget } from '../../core/aws/model';
import { selectProfiles, type AwsProfile } from '../../core/aws/profiles';
import { resolveRegion } from '../../core/aws/region';
import { cancelled, ProductError } from '../../core/errors/productError';
import type { Services } from '../services/services';

export interface ListingTarget extends AwsTarget {
  profileLabel: string;
}

/**
 * Every (profile, region) the palette commands look in: the configured profiles, each in the
 * `ec2InstanceConnect.regions` setting or its own region. A profile with no region at all asks for one.
 */
export async function listingTargets(services: Services): Promise<ListingTarget[]> {
  const settings = services.settings();
  const profiles = selectProfiles(await services.core().loadProfiles(), settings.profiles, process.env);
  if (profiles.length === 0) {
    throw new ProductError(
      'unknownProfile',
      'No AWS credentials were found. Add a profile to ~/.aws/config and ~/.aws/credentials, or set AWS_PROFILE or AWS_ACCESS_KEY_ID, then try again.',
    );
  }
  const targets: ListingTarget[] = [];
  for (const profile of profiles) {
    const regions = settings.regions.length ? settings.regions : [resolveRegion({ profileRegion: profile.region }) ?? (await askRegion(services, profile))];
    for (const region of new Set(regions)) targets.push({ profile: profile.name, region, profileLabel: profile.label });
  }
  return targets;
}

async function askRegion(services: Services, profile: AwsProfile): Promise<string> {
  const region = await services.ui.pick(
    knownRegions.map((r) => ({ label: r.name, description: r.optIn ? 'opt-in region' : undefined, value: r.name })),
    {
      title: `No region is set for ${profile.name ? `profile "${profile.label}"` : 'the environment credentials'}`,
      placeholder: 'Choose the region to look in (set "region" in ~/.aws/config, or Choose Regions…, to stop this question)',
    },
  );
  if (!region) throw cancelled();
  return region;
}
