import { DescribeRegionsCommand, type EC2Client } from '@aws-sdk/client-ec2';

export interface AccountRegion {
  name: string;
  /** `opt-in-not-required`, `opted-in` or `not-opted-in`, as DescribeRegions says. */
  optInStatus: string;
  /** The account can use it: not an opt-in region, or one it has opted in to. */
  enabled: boolean;
}

/** Every region of the account's partition, with whether the account can use it (DescribeRegions, AllRegions). */
export async function describeRegions(client: EC2Client, abortSignal?: AbortSignal): Promise<AccountRegion[]> {
  const out = await client.send(new DescribeRegionsCommand({ AllRegions: true }), { abortSignal });
  return (out.Regions ?? [])
    .filter((region) => region.RegionName)
    .map((region) => {
      const optInStatus = region.OptInStatus ?? 'opt-in-not-required';
      return { name: region.RegionName as string, optInStatus, enabled: optInStatus !== 'not-opted-in' };
    })
    .sort((a, b) => a.name.localeCompare(b.name));
}
