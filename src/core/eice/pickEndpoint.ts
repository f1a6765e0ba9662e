import type { InstanceConnectEndpoint } from './endpoints';

/**
 * AWS CLI v2's choice: the first endpoint in the instance's subnet, else the first in its VPC. (An endpoint
 * reaches every subnet of its VPC; one in the same subnet needs no route between subnets.) No network call:
 * the tree reads it for every row.
 */
export function pickEndpoint(endpoints: readonly InstanceConnectEndpoint[], instance: { vpcId?: string; subnetId?: string }): InstanceConnectEndpoint | undefined {
  if (!instance.vpcId) return undefined;
  const inVpc = endpoints.filter((e) => e.vpcId === instance.vpcId);
  return (instance.subnetId ? inVpc.find((e) => e.subnetId === instance.subnetId) : undefined) ?? inVpc[0];
}
