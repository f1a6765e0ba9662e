import { knownRegions } from '../../core/aws/knownRegions';
import type { AwsTarget } from '../../core/aws/model';
import type { AwsProfile } from '../../core/aws/profiles';
import { cancelled, ProductError } from '../../core/errors/productError';
import type { Services } from '../services/services';

export interface ListingTarget extends AwsTarget {
  /** The profile the target lists with (`profile` is its name). */
  awsProfile: AwsProfile;
  profileLabel: string;
  /** The region was asked for just now: the profile names none, so the inventory does not list it. */
  asked: boolean;
}

/**
 * Every (profile, region) the palette commands look in: the inventory's, which the tree lists too. A profile
 * with no region at all asks for one (and the answer is used for this command only).
 */
export async function listingTargets(services: Services): Promise<ListingTarget[]> {
  const inventory = services.inventory;
  await inventory.ensureLoaded();
  if (inventory.readFailure) throw new ProductError('badInput', `Could not read the AWS configuration: ${inventory.readFailure}. Fix ~/.aws/config or ~/.aws/credentials, then try again.`);
  if (inventory.profiles.length === 0) {
    throw new ProductError(
      'unknownProfile',
      'No AWS credentials were found. Add a profile to ~/.aws/config and ~/.aws/credentials, or set AWS_PROFILE or AWS_ACCESS_KEY_ID, then try again.',
    );
  }
  const targets: ListingTarget[] = [];
  for (const { profile, regions, problem } of inventory.profiles) {
    const profileLabel = profile.label;
    if (problem?.kind === 'noRegion') targets.push({ profile: profile.name, region: await askRegion(services, profile), awsProfile: profile, profileLabel, asked: true });
    else for (const region of regions) targets.push({ ...region.target, awsProfile: profile, profileLabel, asked: false });
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
