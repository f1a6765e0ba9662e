// The commercial AWS regions, in the order the sandbox hands them out.
export interface RegionInfo {
  name: string;
  /** Regions launched since 2019 must be enabled per account ("opt-in"). */
  optIn: boolean;
}

/** The 17 regions every account has, then the opt-in ones. */
const AWS_REGIONS: readonly RegionInfo[] = [
  ...[
    'us-east-1', 'eu-west-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'eu-west-2', 'eu-west-3',
    'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3',
    'ap-southeast-1', 'ap-southeast-2', 'sa-east-1',
  ].map((name) => ({ name, optIn: false })),
  ...[
    'af-south-1', 'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ca-west-1',
    'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1', 'mx-central-1',
    'ap-southeast-7',
  ].map((name) => ({ name, optIn: true })),
];

export const DEFAULT_REGIONS = ['us-east-1', 'eu-west-1'];

export function regionInfo(name: string): RegionInfo | undefined {
  return AWS_REGIONS.find((region) => region.name === name);
}

/** The first `count` regions of the real list (`--regions 17` gives every region without opt-in). */
export function firstRegions(count: number): string[] {
  if (!Number.isInteger(count) || count < 1 || count > AWS_REGIONS.length) {
    throw new Error(`a region count must be 1..${AWS_REGIONS.length}, got ${count}`);
  }
  return AWS_REGIONS.slice(0, count).map((region) => region.name);
}

/** An opt-in region the account has not enabled: DescribeRegions shows it only with AllRegions=true. */
export function notOptedInRegion(enabled: readonly string[]): string | undefined {
  return AWS_REGIONS.find((region) => region.optIn && !enabled.includes(region.name))?.name;
}

export function availabilityZones(region: string): string[] {
  return ['a', 'b', 'c'].map((letter) => `${region}${letter}`);
}

/** The suffix EC2 uses in private DNS names: `ec2.internal` in us-east-1, `<region>.compute.internal` elsewhere. */
export function privateDnsDomain(region: string): string {
  return region === 'us-east-1' ? 'ec2.internal' : `${region}.compute.internal`;
}
