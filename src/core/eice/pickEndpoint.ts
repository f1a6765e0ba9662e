import type { InstanceConnectEndpoint } from './endpoints';

/** AWS CLI v2's choice: the first usable endpoint in the instance's subnet, else the first in its VPC. */
export function pickEndpoint(endpoints: readonly InstanceConnectEndpoint[], instance: { vpcId?: string; subnetId?: string }): InstanceConnectEndpoint | undefined {
  if (!instance.vpcId) return undefined;
  const inVpc = endpoints.filter((endpoint) => endpoint.vpcId === instance.vpcId);
  return inVpc.find((endpoint) => endpoint.subnetId === instance.subnetId) ?? inVpc[0];
}
