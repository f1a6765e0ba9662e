// The EC2 Query API the extension calls: form-encoded `Action=…` requests, XML answers shaped exactly
// as the AWS SDK's deserializers read them.
import { ACCOUNT_ID, type InstanceRecord, privateIpOf, publicIpOf, STATE_CODES } from './account';
import { ec2Error } from './api-errors';
import { consoleOutput } from './console-output';
import { applyFilters, type FilterFields, filtersParam, listParam } from './filters';
import type { Fleet, StateChange } from './fleet';
import { IMAGE_FAMILIES, type ImageFamily, imageId } from './images';
import {
  createInstanceConnectEndpoint, deleteInstanceConnectEndpoint, describeInstanceConnectEndpoints, type EndpointAccount,
} from './instance-connect-endpoints';
import type { Ec2Operation } from './operations';
import { decodeToken, encodeToken, queryKey } from './paging';
import { notOptedInRegion, privateDnsDomain, regionInfo } from './regions';
import { createTags, deleteTags } from './tags';
import { type XmlObject, type XmlValue } from './xml';

export interface Ec2Account extends EndpointAccount {
  fleet: Fleet;
  regions: string[];
  serialConsoleAccess: boolean;
}

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;
const IMAGE_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;

/** The instances named by `InstanceId.N`, all of them known in this region, or the error EC2 gives. */
function namedInstances(account: Ec2Account, region: string, ids: string[]): InstanceRecord[] {
  const malformed = ids.find((id) => !INSTANCE_ID.test(id));
  if (malformed) throw ec2Error('InvalidInstanceID.Malformed', `Invalid id: "${malformed}"`);
  const missing = ids.filter((id) => !account.fleet.find(region, id));
  if (missing.length === 1) throw ec2Error('InvalidInstanceID.NotFound', `The instance ID '${missing[0]}' does not exist`);
  if (missing.length > 1) throw ec2Error('InvalidInstanceID.NotFound', `The instance IDs '${missing.join(', ')}' do not exist`);
  return ids.map((id) => account.fleet.find(region, id)!);
}

function requiredInstances(account: Ec2Account, region: string, params: URLSearchParams): InstanceRecord[] {
  const ids = listParam(params, 'InstanceId');
  if (ids.length === 0) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
  return namedInstances(account, region, ids);
}

const instanceFields: FilterFields<InstanceRecord> = (name) => {
  if (name.startsWith('tag:')) {
    const key = name.slice(4);
    return (instance) => instance.tags.filter(([tagKey]) => tagKey === key).map(([, value]) => value);
  }
  const fields: Record<string, (instance: InstanceRecord) => (string | undefined)[]> = {
    'instance-id': (i) => [i.instanceId],
    'instance-state-name': (i) => [i.state],
    'instance-state-code': (i) => [String(STATE_CODES[i.state])],
    'instance-type': (i) => [i.instanceType],
    'availability-zone': (i) => [i.availabilityZone],
    'image-id': (i) => [i.imageId],
    'vpc-id': (i) => [i.vpcId],
    'subnet-id': (i) => [i.subnetId],
    'reservation-id': (i) => [i.reservationId],
    'key-name': (i) => [i.keyName],
    architecture: (i) => [i.family.architecture],
    platform: (i) => [i.family.platform],
    'platform-details': (i) => [i.family.platformDetails],
    'ip-address': (i) => [publicIpOf(i)],
    'private-ip-address': (i) => [privateIpOf(i)],
    'tag-key': (i) => i.tags.map(([key]) => key),
    'tag-value': (i) => i.tags.map(([, value]) => value),
  };
  const field = fields[name];
  return field && ((instance) => field(instance).filter((value): value is string => value !== undefined));
};

function stateXml(state: InstanceRecord['state']): XmlObject {
  return { code: STATE_CODES[state], name: state };
}

function instanceXml(instance: InstanceRecord): XmlObject {
  const publicIp = publicIpOf(instance);
  const privateIp = privateIpOf(instance);
  const privateDnsName = `${instance.hostname}.${privateDnsDomain(instance.region)}`;
  const group = { groupId: instance.securityGroup.id, groupName: instance.securityGroup.name };
  const terminated = instance.state === 'terminated';
  const rootDevice = instance.family.platform === 'windows' ? '/dev/sda1' : '/dev/xvda';
  return {
    instanceId: instance.instanceId,
    imageId: instance.imageId,
    instanceState: stateXml(instance.state),
    privateDnsName: terminated ? '' : privateDnsName,
    // EC2 gives DNS names only in VPCs with DNS hostnames on; the sandbox's VPCs have them off, so only
    // the addresses (which reach the instance here) are there to connect to.
    dnsName: '',
    reason: instance.stateTransitionReason,
    keyName: instance.keyName,
    amiLaunchIndex: 0,
    productCodes: [],
    instanceType: instance.instanceType,
    launchTime: instance.launchTime,
    placement: { availabilityZone: instance.availabilityZone, groupName: '', tenancy: 'default' },
    platform: instance.family.platform,
    monitoring: { state: 'disabled' },
    subnetId: terminated ? undefined : instance.subnetId,
    vpcId: terminated ? undefined : instance.vpcId,
    privateIpAddress: terminated ? undefined : privateIp,
    ipAddress: publicIp,
    sourceDestCheck: terminated ? undefined : true,
    groupSet: terminated ? [] : [group],
    stateReason: instance.stateReason,
    architecture: instance.family.architecture,
    rootDeviceType: 'ebs',
    rootDeviceName: rootDevice,
    blockDeviceMapping: terminated ? [] : [{
      deviceName: rootDevice,
      ebs: { volumeId: `vol-${instance.instanceId.slice(2)}`, status: 'attached', attachTime: instance.launchTime, deleteOnTermination: true },
    }],
    virtualizationType: 'hvm',
    clientToken: '',
    tagSet: instance.tags.map(([key, value]) => ({ key, value })),
    hypervisor: 'xen',
    networkInterfaceSet: terminated ? [] : [{
      networkInterfaceId: `eni-${instance.instanceId.slice(2)}`,
      subnetId: instance.subnetId,
      vpcId: instance.vpcId,
      description: '',
      ownerId: ACCOUNT_ID,
      status: 'in-use',
      privateIpAddress: privateIp,
      privateDnsName,
      sourceDestCheck: true,
      groupSet: [group],
      attachment: { attachmentId: `eni-attach-${instance.instanceId.slice(2)}`, deviceIndex: 0, status: 'attached', attachTime: instance.launchTime, deleteOnTermination: true },
      association: publicIp ? { publicIp, publicDnsName: '', ipOwnerId: 'amazon' } : undefined,
      privateIpAddressesSet: [{ privateIpAddress: privateIp, privateDnsName, primary: true, association: publicIp ? { publicIp, publicDnsName: '', ipOwnerId: 'amazon' } : undefined }],
      ipv6AddressesSet: instance.ipv6 ? [{ ipv6Address: instance.ipv6, isPrimaryIpv6: true }] : [],
      interfaceType: 'interface',
    }],
    ebsOptimized: false,
    enaSupport: instance.nitro,
    cpuOptions: { coreCount: 1, threadsPerCore: 2 },
    metadataOptions: { state: 'applied', httpTokens: 'required', httpPutResponseHopLimit: 2, httpEndpoint: 'enabled', httpProtocolIpv6: 'disabled', instanceMetadataTags: 'disabled' },
    platformDetails: instance.family.platformDetails,
    usageOperation: instance.family.usageOperation,
    usageOperationUpdateTime: instance.launchTime,
    bootMode: instance.nitro ? 'uefi-preferred' : 'legacy-bios',
    currentInstanceBootMode: 'legacy-bios',
    ipv6Address: instance.ipv6,
  };
}

function describeInstances(account: Ec2Account, region: string, params: URLSearchParams): XmlObject {
  const ids = listParam(params, 'InstanceId');
  const maxResultsParam = params.get('MaxResults');
  if (maxResultsParam !== null && ids.length > 0) {
    throw ec2Error('InvalidParameterCombination', 'The parameter instancesSet cannot be used with the parameter maxResults');
  }
  const maxResults = maxResultsParam === null ? undefined : Number(maxResultsParam);
  if (maxResults !== undefined && !(Number.isInteger(maxResults) && maxResults >= 5 && maxResults <= 1000)) {
    throw ec2Error('InvalidParameterValue', `Value ( ${maxResultsParam} ) for parameter maxResults is invalid. Expecting a value between 5 and 1000.`);
  }
  const named = ids.length > 0 ? namedInstances(account, region, ids) : account.fleet.inRegion(region);
  const matching = applyFilters(named, filtersParam(params), instanceFields);
  const query = queryKey(params);
  const tokenParam = params.get('NextToken');
  const offset = tokenParam ? decodeToken(tokenParam, query) : 0;
  const end = maxResults === undefined ? matching.length : Math.min(matching.length, offset + maxResults);
  const page = matching.slice(offset, end);

  // Instances launched together share a reservation; consecutive ones on a page are grouped under it.
  const reservations: XmlObject[] = [];
  let current: { id: string; instances: XmlValue[] } | undefined;
  for (const instance of page) {
    if (current?.id !== instance.reservationId) {
      current = { id: instance.reservationId, instances: [] };
      reservations.push({ reservationId: current.id, ownerId: ACCOUNT_ID, groupSet: [], instancesSet: current.instances });
    }
    current.instances.push(instanceXml(instance));
  }
  const nextToken = end < matching.length ? encodeToken(end, query) : undefined;
  return { reservationSet: reservations, nextToken };
}

interface RegionRow {
  name: string;
  status: string;
}

const regionFields: Record<string, (region: RegionRow) => string[]> = {
  'region-name': (region) => [region.name],
  endpoint: (region) => [`ec2.${region.name}.amazonaws.com`],
  'opt-in-status': (region) => [region.status],
};

function describeRegions(account: Ec2Account, params: URLSearchParams): XmlObject {
  const all = params.get('AllRegions') === 'true';
  const regions: RegionRow[] = account.regions.map((name) => ({ name, status: regionInfo(name)?.optIn ? 'opted-in' : 'opt-in-not-required' }));
  const disabled = notOptedInRegion(account.regions);
  if (all && disabled) regions.push({ name: disabled, status: 'not-opted-in' });
  const names = listParam(params, 'RegionName');
  const unknown = names.find((name) => !regions.some((region) => region.name === name));
  if (unknown) throw ec2Error('InvalidParameterValue', `Invalid region: ${unknown}`);
  const named = names.length > 0 ? regions.filter((region) => names.includes(region.name)) : regions;
  const matching = applyFilters(named, filtersParam(params), (name) => regionFields[name]);
  return {
    regionInfo: matching.map((region) => ({
      regionName: region.name,
      regionEndpoint: `ec2.${region.name}.amazonaws.com`,
      optInStatus: region.status,
    })),
  };
}

function imageXml(region: string, family: ImageFamily): XmlObject {
  const rootDevice = family.platform === 'windows' ? '/dev/sda1' : '/dev/xvda';
  return {
    imageId: imageId(region, family),
    imageLocation: `${family.ownerAlias ?? family.ownerId}/${family.name}`,
    imageState: 'available',
    imageOwnerId: family.ownerId,
    creationDate: family.creationDate,
    isPublic: true,
    architecture: family.architecture,
    imageType: 'machine',
    platform: family.platform,
    platformDetails: family.platformDetails,
    usageOperation: family.usageOperation,
    imageOwnerAlias: family.ownerAlias,
    name: family.name,
    description: family.description,
    rootDeviceType: 'ebs',
    rootDeviceName: rootDevice,
    blockDeviceMapping: [{ deviceName: rootDevice, ebs: { snapshotId: `snap-${imageId(region, family).slice(4)}`, volumeSize: 8, deleteOnTermination: true, volumeType: 'gp3', encrypted: false } }],
    virtualizationType: 'hvm',
    hypervisor: 'xen',
    enaSupport: true,
    bootMode: family.platform === 'windows' ? undefined : 'uefi-preferred',
  };
}

function describeImages(region: string, params: URLSearchParams): XmlObject {
  const ids = listParam(params, 'ImageId');
  const malformed = ids.find((id) => !IMAGE_ID.test(id));
  if (malformed) throw ec2Error('InvalidAMIID.Malformed', `Invalid id: "${malformed}" (expecting "ami-...")`);
  const missing = ids.filter((id) => !IMAGE_FAMILIES.some((family) => imageId(region, family) === id));
  if (missing.length > 0) throw ec2Error('InvalidAMIID.NotFound', `The image id '[${missing.join(', ')}]' does not exist`);
  const named = ids.length > 0 ? IMAGE_FAMILIES.filter((family) => ids.includes(imageId(region, family))) : [...IMAGE_FAMILIES];
  const fields: Record<string, (family: ImageFamily) => string[]> = {
    'image-id': (family) => [imageId(region, family)],
    name: (family) => [family.name],
    description: (family) => [family.description],
    architecture: (family) => [family.architecture],
    platform: (family) => (family.platform ? [family.platform] : []),
    'owner-id': (family) => [family.ownerId],
    'owner-alias': (family) => (family.ownerAlias ? [family.ownerAlias] : []),
    state: () => ['available'],
  };
  const matching = applyFilters(named, filtersParam(params), (name) => fields[name]);
  return { imagesSet: matching.map((family) => imageXml(region, family)) };
}

function stateChanges(changes: StateChange[]): XmlObject {
  return {
    instancesSet: changes.map((change) => ({
      instanceId: change.instanceId,
      currentState: stateXml(change.current),
      previousState: stateXml(change.previous),
    })),
  };
}

/** Every instance id a call names: for logs and for faults aimed at one instance. */
export function ec2InstanceIds(params: URLSearchParams): string[] {
  const single = params.get('InstanceId');
  return single ? [single] : listParam(params, 'InstanceId');
}

export function handleEc2(operation: Ec2Operation, region: string, params: URLSearchParams, account: Ec2Account): XmlObject {
  const dryRun = params.get('DryRun') === 'true';
  const checkDryRun = (): void => {
    if (dryRun) throw ec2Error('DryRunOperation', 'Request would have succeeded, but DryRun flag is set.');
  };
  switch (operation) {
    case 'DescribeInstances': {
      const result = describeInstances(account, region, params);
      checkDryRun();
      return result;
    }
    case 'DescribeRegions':
      checkDryRun();
      return describeRegions(account, params);
    case 'DescribeImages':
      checkDryRun();
      return describeImages(region, params);
    case 'StartInstances': {
      const instances = requiredInstances(account, region, params);
      checkDryRun();
      return stateChanges(account.fleet.start(instances));
    }
    case 'StopInstances': {
      const instances = requiredInstances(account, region, params);
      checkDryRun();
      return stateChanges(account.fleet.stop(instances));
    }
    case 'RebootInstances': {
      const instances = requiredInstances(account, region, params);
      checkDryRun();
      account.fleet.reboot(instances);
      return { return: true };
    }
    case 'GetConsoleOutput': {
      const id = params.get('InstanceId');
      if (!id) throw ec2Error('MissingParameter', 'The request must contain the parameter InstanceId');
      const [instance] = namedInstances(account, region, [id]);
      checkDryRun();
      const output = instance.state === 'terminated' ? undefined : Buffer.from(consoleOutput(instance)).toString('base64');
      return { instanceId: instance.instanceId, timestamp: new Date(), output };
    }
    case 'GetSerialConsoleAccessStatus':
      checkDryRun();
      return { serialConsoleAccessEnabled: account.serialConsoleAccess, managedBy: 'account' };
    case 'EnableSerialConsoleAccess':
    case 'DisableSerialConsoleAccess':
      checkDryRun();
      account.serialConsoleAccess = operation === 'EnableSerialConsoleAccess';
      return { serialConsoleAccessEnabled: account.serialConsoleAccess };
    case 'DescribeInstanceConnectEndpoints': {
      const result = describeInstanceConnectEndpoints(account, region, params);
      checkDryRun();
      return result;
    }
    case 'CreateInstanceConnectEndpoint':
      return createInstanceConnectEndpoint(account, region, params, checkDryRun);
    case 'DeleteInstanceConnectEndpoint':
      return deleteInstanceConnectEndpoint(account, region, params, checkDryRun);
    case 'CreateTags':
      return createTags(account.fleet, region, params, checkDryRun);
    case 'DeleteTags':
      return deleteTags(account.fleet, region, params, checkDryRun);
  }
}
