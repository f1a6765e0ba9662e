/**
 * The commercial AWS regions, for asking a user with no region configured to pick one: DescribeRegions
 * itself needs a region to be called in. Opt-in regions are marked; the account's own list comes from
 * DescribeRegions once a region is known (Choose Regions…).
 */
export const knownRegions: readonly { name: string; optIn: boolean }[] = [
  ...['us-east-1', 'us-east-2', 'us-west-1', 'us-west-2', 'ca-central-1', 'sa-east-1', 'eu-west-1', 'eu-west-2', 'eu-west-3',
    'eu-central-1', 'eu-north-1', 'ap-south-1', 'ap-northeast-1', 'ap-northeast-2', 'ap-northeast-3', 'ap-southeast-1',
    'ap-southeast-2'].map((name) => ({ name, optIn: false })),
  ...['af-south-1', 'ap-east-1', 'ap-south-2', 'ap-southeast-3', 'ap-southeast-4', 'ap-southeast-5', 'ap-southeast-7',
    'ca-west-1', 'eu-central-2', 'eu-south-1', 'eu-south-2', 'il-central-1', 'me-central-1', 'me-south-1',
    'mx-central-1'].map((name) => ({ name, optIn: true })),
];
