// EC2's Instance Connect Endpoint operations over the Query protocol: DescribeInstanceConnectEndpoints,
// CreateInstanceConnectEndpoint and DeleteInstanceConnectEndpoint, answered as EC2 answers them.
import { ACCOUNT_ID, type Vpc } from './account';
import { ec2Error } from './api-errors';
import type { EndpointRecord, EndpointRegistry } from './endpoint-registry';
import { applyFilters, type FilterFields, filtersParam, listParam } from './filters';
import { decodeToken, encodeToken, queryKey } from './paging';
import { type XmlObject } from './xml';

export interface EndpointAccount {
  endpoints: EndpointRegistry;
  vpcs: Vpc[];
}

const ENDPOINT_ID = /^eice-[0-9a-f]{17}$/;
/** AWS's quota: one endpoint per VPC (and per subnet). Its error code for it is not documented: a guess. */
const PER_VPC = 1;

const endpointFields: FilterFields<EndpointRecord> = (name) => {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (record) => record.tags.filter(([tagKey]) => tagKey === key).map(([, value]) => value);
  }
  const fields: Record<string, (record: EndpointRecord) => string[]> = {
    'instance-connect-endpoint-id': (r) => [r.instanceConnectEndpointId],
    state: (r) => [r.state],
    'subnet-id': (r) => [r.subnetId],
    'vpc-id': (r) => [r.vpc.vpcId],
    'tag-key': (r) => r.tags.map(([key]) => key),
    'tag-value': (r) => r.tags.map(([, value]) => value),
  };
  return fields[name];
};

function endpointXml(record: EndpointRecord): XmlObject {
  return {
    ownerId: ACCOUNT_ID,
    instanceConnectEndpointId: record.instanceConnectEndpointId,
    instanceConnectEndpointArn: `arn:aws:ec2:${record.region}:${ACCOUNT_ID}:instance-connect-endpoint/${record.instanceConnectEndpointId}`,
    state: record.state,
    stateMessage: record.stateMessage,
    dnsName: record.dnsName,
    fipsDnsName: record.fipsDnsName,
    networkInterfaceIdSet: [record.networkInterfaceId],
    vpcId: record.vpc.vpcId,
    availabilityZone: record.availabilityZone,
    createdAt: record.createdAt,
    subnetId: record.subnetId,
    preserveClientIp: record.preserveClientIp,
    securityGroupIdSet: record.securityGroupIds,
    tagSet: record.tags.map(([key, value]) => ({ key, value })),
    ipAddressType: 'ipv4',
  };
}

function notFound(id: string): never {
  throw ec2Error('InvalidInstanceConnectEndpointId.NotFound', `The instance connect endpoint ID '${id}' does not exist`);
}

function named(account: EndpointAccount, region: string, id: string): EndpointRecord {
  if (!ENDPOINT_ID.test(id)) throw ec2Error('InvalidInstanceConnectEndpointId.Malformed', `Invalid id: "${id}" (expecting "eice-...")`);
  return account.endpoints.find(region, id) ?? notFound(id);
}

export function describeInstanceConnectEndpoints(account: EndpointAccount, region: string, params: URLSearchParams): XmlObject {
  const ids = listParam(params, 'InstanceConnectEndpointId');
  const maxResultsParam = params.get('MaxResults');
  const maxResults = maxResultsParam === null ? undefined : Number(maxResultsParam);
  if (maxResults !== undefined && !(Number.isInteger(maxResults) && maxResults >= 1 && maxResults <= 50)) {
    throw ec2Error('InvalidParameterValue', `Value ( ${maxResultsParam} ) for parameter maxResults is invalid. Expecting a value between 1 and 50.`);
  }
  const chosen = ids.length > 0 ? ids.map((id) => named(account, region, id)) : account.endpoints.inRegion(region);
  const matching = applyFilters(chosen, filtersParam(params), endpointFields);
  const query = queryKey(params);
  const tokenParam = params.get('NextToken');
  const offset = tokenParam ? decodeToken(tokenParam, query) : 0;
  const end = maxResults === undefined ? matching.length : Math.min(matching.length, offset + maxResults);
  return {
    instanceConnectEndpointSet: matching.slice(offset, end).map(endpointXml),
    nextToken: end < matching.length ? encodeToken(end, query) : undefined,
  };
}

/** `TagSpecification.N.ResourceType` / `.Tag.M.Key|Value`: the tags for an instance-connect-endpoint. */
function tagsParam(params: URLSearchParams): [string, string][] {
  const tags: [string, string][] = [];
  for (let n = 1; params.has(`TagSpecification.${n}.ResourceType`); n++) {
    const type = params.get(`TagSpecification.${n}.ResourceType`);
    if (type !== 'instance-connect-endpoint') {
      throw ec2Error('InvalidParameterValue', `'${type}' is not a valid taggable resource type for this operation.`);
    }
    for (let m = 1; params.has(`TagSpecification.${n}.Tag.${m}.Key`); m++) {
      tags.push([params.get(`TagSpecification.${n}.Tag.${m}.Key`)!, params.get(`TagSpecification.${n}.Tag.${m}.Value`) ?? '']);
    }
  }
  return tags;
}

export function createInstanceConnectEndpoint(account: EndpointAccount, region: string, params: URLSearchParams, dryRun: () => void): XmlObject {
  const subnetId = params.get('SubnetId');
  if (!subnetId) throw ec2Error('MissingParameter', 'The request must contain the parameter SubnetId');
  const vpc = account.vpcs.find((candidate) => candidate.region === region && candidate.subnets.some((subnet) => subnet.subnetId === subnetId));
  if (!vpc) throw ec2Error('InvalidSubnetID.NotFound', `The subnet ID '${subnetId}' does not exist`);
  const groups = listParam(params, 'SecurityGroupId');
  const unknownGroup = groups.find((group) => group !== vpc.securityGroupId);
  if (unknownGroup) throw ec2Error('InvalidGroup.NotFound', `The security group '${unknownGroup}' does not exist in VPC '${vpc.vpcId}'`);
  const preserveParam = params.get('PreserveClientIp');
  if (preserveParam !== null && preserveParam !== 'true' && preserveParam !== 'false') {
    throw ec2Error('InvalidParameterValue', `Value (${preserveParam}) for parameter preserveClientIp is invalid.`);
  }
  const ipAddressType = params.get('IpAddressType');
  if (ipAddressType !== null && ipAddressType !== 'ipv4') {
    throw ec2Error('InvalidParameterValue', `The subnet '${subnetId}' has no IPv6 CIDR block: IpAddressType '${ipAddressType}' is not possible.`);
  }
  const tags = tagsParam(params);
  const clientToken = params.get('ClientToken') ?? undefined;
  const request = JSON.stringify([subnetId, groups, preserveParam, ipAddressType, tags]);
  dryRun();
  if (clientToken) {
    const earlier = account.endpoints.inRegion(region).find((record) => record.clientToken === clientToken);
    if (earlier && earlier.request !== request) {
      throw ec2Error('IdempotentParameterMismatch', 'The client token you have provided is associated with a resource that has different parameters. Use a new client token and retry your request.');
    }
    if (earlier) return { instanceConnectEndpoint: endpointXml(earlier), clientToken };
  }
  const live = account.endpoints.inRegion(region).filter((record) => record.vpc.vpcId === vpc.vpcId && !record.state.startsWith('delete'));
  if (live.length >= PER_VPC) {
    throw ec2Error('ResourceLimitExceeded', `You've reached the limit of ${PER_VPC} EC2 Instance Connect Endpoint per VPC (${vpc.vpcId} has ${live[0].instanceConnectEndpointId}).`);
  }
  const record = account.endpoints.create({
    vpc,
    subnetId,
    preserveClientIp: preserveParam === 'true',
    securityGroupIds: groups.length > 0 ? groups : [vpc.securityGroupId],
    tags,
    clientToken,
    request,
  });
  return { instanceConnectEndpoint: endpointXml(record), clientToken };
}

export function deleteInstanceConnectEndpoint(account: EndpointAccount, region: string, params: URLSearchParams, dryRun: () => void): XmlObject {
  const id = params.get('InstanceConnectEndpointId');
  if (!id) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceConnectEndpointId');
  const record = named(account, region, id);
  if (record.state === 'delete-complete') notFound(id);
  dryRun();
  account.endpoints.delete(record);
  return { instanceConnectEndpoint: endpointXml(record) };
}
