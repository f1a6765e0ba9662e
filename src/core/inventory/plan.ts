import { type AwsProfile, type Env, selectProfiles } from '../aws/profiles';
import { resolveRegion } from '../aws/region';
import type { Settings } from '../base/settings';

/** One profile and the regions to list it in; none = no region is known for it (the inventory says so). */
export interface PlannedProfile {
  profile: AwsProfile;
  regions: string[];
}

/**
 * The (profile, region) pairs the editor lists, the same for the tree, the palette's picker and every command
 * that asks for a region: the `profiles` setting (else AWS_PROFILE alone, else every profile), each in the
 * `regions` setting or else its own region (AWS_REGION and AWS_DEFAULT_REGION first, as the AWS CLI does).
 */
export function planTargets(profiles: AwsProfile[], settings: Pick<Settings, 'profiles' | 'regions'>, env: Env): PlannedProfile[] {
  return selectProfiles(profiles, settings.profiles, env).map((profile) => ({
    profile,
    regions: settings.regions.length
      ? [...new Set(settings.regions)]
      : [resolveRegion({ profileRegion: profile.region, env })].filter((region): region is string => region !== undefined),
  }));
}
