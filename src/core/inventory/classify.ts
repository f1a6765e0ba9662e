import type { AwsProfile } from '../aws/profiles';
import { errorCode } from '../errors/errorShape';
import { credentialProblem } from './credentialProblem';

/**
 * Where a region's listing failure belongs:
 * - `profile`: the credentials themselves (an expired sign-in, keys AWS does not know): one row at the
 *   profile with its fix, instead of the same error in every region;
 * - `skipped`: an opt-in region the account has not enabled (EC2 answers AuthFailure for those too);
 * - `region`: anything else (throttling, a network failure…): an error row with Retry, other regions stay.
 */
export type ListingFailureScope = { scope: 'profile'; problem: 'signIn' | 'credentials' } | { scope: 'skipped' } | { scope: 'region' };

/**
 * Classifies a listing failure. `regionEnabled` answers whether the account has the region (DescribeRegions),
 * asked only when the failure could mean an opt-in region: undefined when that cannot be told.
 */
export async function classifyListingFailure(
  error: unknown,
  profile: AwsProfile,
  regionEnabled: () => Promise<boolean | undefined>,
): Promise<ListingFailureScope> {
  let problem = credentialProblem(error, profile);
  const code = errorCode(error);
  if (problem === 'maybeRegion' || code === 'OptInRequired') {
    if ((await regionEnabled()) === false) return { scope: 'skipped' };
    problem = code === 'OptInRequired' ? undefined : 'credentials';
  }
  if (problem === 'signIn' || problem === 'credentials') return { scope: 'profile', problem };
  return { scope: 'region' };
}
