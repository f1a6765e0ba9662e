// The account the sandbox plays: its VPCs and instances, as DescribeInstances describes them.
// The default account is a small, realistic one whose Linux instances get real sshd servers; `instances: N`
// adds N listing-only instances (no sshd) spread over the regions, for listing tests and benchmarks.
//
// Every VPC's CIDR is a /16 of loopback above 127.100.0.0 (loopback.ts hands out addresses below it), so a
// private IP is a loopback address on which nothing listens: a client that tries one directly is refused at
// once and never leaves the machine. Instances are reached where their sshd really listens: their public IP,
// or, for private-only ones, a hidden loopback address that only their VPC's Instance Connect Endpoint knows.
import { newInstanceId, randomHex, SeededRandom, stableId } from './ids';
import { IMAGE_FAMILIES, type ImageFamily, imageFamily, imageId } from './images';
import { availabilityZones } from './regions';

export const ACCOUNT_ID = '386209384616';

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

export const STATE_CODES: Record<InstanceStateName, number> = {
  pending: 0,
  running: 16,
  'shutting-down': 32,
  terminated: 48,
  stopping: 64,
  stopped: 80,
};

export interface HostKeyInfo {
  /** `ssh-ed25519 AAAA…` */
  publicKey: string;
  /** `SHA256:…` (OpenSSH form, no padding) */
  fingerprint: string;
  bits: number;
  /** ED25519, ECDSA, RSA: the label `ssh-keygen -l` prints */
  label: string;
}

export interface InstanceRecord {
  instanceId: string;
  reservationId: string;
  region: string;
  availabilityZone: string;
  instanceType: string;
  family: ImageFamily;
  imageId: string;
  state: InstanceStateName;
  /** EC2's `reason`, e.g. "User initiated (2024-11-02 10:11:12 GMT)" after a stop. */
  stateTransitionReason: string;
  stateReason?: { code: string; message: string };
  launchTime: Date;
  /** Its private IP, inside its subnet: a loopback address on which nothing listens. */
  vpcIp: string;
  /**
   * How it is reached: `public` instances show `address` as their public IP (while not stopped); `private` ones
   * have none, and their `address` is hidden; `none` have no address (terminated).
   */
  addressKind: 'public' | 'private' | 'none';
  /** A loopback address: where this instance's sshd listens (or where nothing listens, for listing-only instances). */
  address?: string;
  ipv6?: string;
  /** The instance's own hostname, from its private IP: `ip-127-100-1-23`. */
  hostname: string;
  tags: [string, string][];
  osUser: string;
  /** Nitro instance types support the serial console; Xen ones (t2, m4, c4, r4) do not. */
  nitro: boolean;
  vpcId: string;
  subnetId: string;
  securityGroup: { id: string; name: string };
  keyName?: string;
  /** Whether a real sshd serves this instance while it runs. */
  shell: boolean;
  /** Whether it is part of the default account (and so of the manifest). */
  inManifest: boolean;
  /** Real host keys for instances with a shell; made-up ones for listing-only instances. */
  hostKeys: HostKeyInfo[];
}

export function publicIpOf(instance: InstanceRecord): string | undefined {
  const hasOne = instance.state !== 'stopped' && instance.state !== 'terminated';
  return instance.addressKind === 'public' && hasOne ? instance.address : undefined;
}

export function privateIpOf(instance: InstanceRecord): string {
  return instance.vpcIp;
}

export function nameOf(instance: InstanceRecord): string {
  return instance.tags.find(([key]) => key === 'Name')?.[1] ?? '';
}

const XEN_FAMILIES = ['t1', 't2', 'm1', 'm2', 'm3', 'm4', 'c1', 'c3', 'c4', 'r3', 'r4', 'x1', 'i2', 'g2', 'd2'];

function isNitro(instanceType: string): boolean {
  const family = instanceType.split('.')[0];
  return !XEN_FAMILIES.includes(family);
}

export interface Subnet {
  subnetId: string;
  vpcId: string;
  availabilityZone: string;
  /** `127.100.16.0/20` */
  cidr: string;
}

export interface Vpc {
  vpcId: string;
  region: string;
  /** `127.100.0.0/16` */
  cidr: string;
  /** One per availability zone, in zone order. */
  subnets: Subnet[];
  /** Its one security group, which its instances (and by default its endpoints) are in. */
  securityGroupId: string;
}

/** Each zone's subnet is a /20: the zone's 16 values of the third octet. */
const SUBNET_SPAN = 16;

/** Whether an IPv4 address is inside `a.b.c.d/n`. */
export function inCidr(address: string, cidr: string): boolean {
  const toNumber = (ip: string): number | undefined => {
    const parts = ip.split('.');
    if (parts.length !== 4 || parts.some((part) => !/^\d{1,3}$/.test(part) || Number(part) > 255)) return undefined;
    return parts.reduce((sum, part) => sum * 256 + Number(part), 0);
  };
  const [base, bits] = cidr.split('/');
  const value = toNumber(address);
  const start = toNumber(base);
  if (value === undefined || start === undefined) return false;
  const size = 2 ** (32 - Number(bits));
  return value >= start && value < start + size;
}

function hostnameOf(address: string): string {
  return `ip-${address.replace(/\./g, '-')}`;
}

/** What EC2 records on an instance a user stopped. */
export function stoppedByUser(instance: InstanceRecord, when: Date): void {
  instance.stateTransitionReason = `User initiated (${when.toISOString().replace('T', ' ').replace(/\.\d+Z$/, ' GMT')})`;
  instance.stateReason = { code: 'Client.UserInitiatedShutdown', message: 'Client.UserInitiatedShutdown: User initiated shutdown' };
}

interface DefaultSpec {
  name: string;
  regionIndex: 0 | 1;
  zone: number;
  family: string;
  instanceType: string;
  state: 'running' | 'stopped' | 'terminated';
  address: 'public' | 'private' | 'none';
  /** `isolated`: the first region's second VPC, which has no Instance Connect Endpoint. */
  vpc?: 'isolated';
  ipv6?: boolean;
  tags: [string, string][];
  keyName?: string;
  launchedDaysAgo: number;
}

/** Chosen so every case the extension handles has one instance: see the comment on each. */
const DEFAULT_INSTANCES: DefaultSpec[] = [
  // The one to click first: Nitro, public address, serial-capable, IPv6 too.
  { name: 'web-prod-1', regionIndex: 0, zone: 0, family: 'al2023', instanceType: 't3.small', state: 'running',
    address: 'public', ipv6: true, launchedDaysAgo: 12, keyName: 'platform-deploy',
    tags: [['Environment', 'production'], ['Team', 'platform'], ['Service', 'web'], ['aws:cloudformation:stack-name', 'web-prod']] },
  { name: 'api-staging', regionIndex: 0, zone: 1, family: 'ubuntu2204', instanceType: 't3.medium', state: 'running',
    address: 'public', launchedDaysAgo: 3,
    tags: [['Environment', 'staging'], ['Team', 'backend'], ['Service', 'api']] },
  // Stopped: starting it brings its sshd up.
  { name: 'batch-worker', regionIndex: 0, zone: 2, family: 'al2', instanceType: 'm5.large', state: 'stopped',
    address: 'public', launchedDaysAgo: 41,
    tags: [['Environment', 'production'], ['Team', 'data'], ['Service', 'batch']] },
  // No public address: reachable only through the VPC's Instance Connect Endpoint, which is in its subnet.
  { name: 'db-internal', regionIndex: 0, zone: 0, family: 'rhel9', instanceType: 'r6i.large', state: 'running',
    address: 'private', launchedDaysAgo: 96,
    tags: [['Environment', 'production'], ['Team', 'data'], ['Service', 'postgres'], ['Backup', 'daily']] },
  // Private too, in another subnet of the same VPC: the endpoint is found by VPC, not by subnet.
  { name: 'cache-internal', regionIndex: 0, zone: 1, family: 'al2023', instanceType: 'r7g.large', state: 'running',
    address: 'private', launchedDaysAgo: 58,
    tags: [['Environment', 'production'], ['Team', 'backend'], ['Service', 'cache']] },
  // Private, in a VPC with no endpoint: not reachable at all ("There are no available instance connect endpoints").
  { name: 'isolated-worker', regionIndex: 0, zone: 0, family: 'ubuntu2404', instanceType: 't3.medium', state: 'running',
    address: 'private', vpc: 'isolated', launchedDaysAgo: 15,
    tags: [['Environment', 'production'], ['Team', 'security'], ['Service', 'scanner']] },
  // Old Xen type: no serial console.
  { name: 'legacy-reports', regionIndex: 0, zone: 1, family: 'centos7', instanceType: 't2.micro', state: 'running',
    address: 'public', launchedDaysAgo: 1204, keyName: 'legacy-2021',
    tags: [['Environment', 'production'], ['Team', 'finance'], ['Service', 'reports']] },
  // Windows: listed, never connectable with Instance Connect; its port 3389 answers at its public address.
  { name: 'build-windows', regionIndex: 0, zone: 0, family: 'windows2022', instanceType: 't3.large', state: 'running',
    address: 'public', launchedDaysAgo: 7, keyName: 'windows-admin',
    tags: [['Environment', 'ci'], ['Team', 'platform'], ['Service', 'build']] },
  // Windows with no public address: its port 3389 is reached through the VPC's endpoint (remotePort 3389) alone.
  { name: 'rdp-windows', regionIndex: 0, zone: 0, family: 'windows2022', instanceType: 't3.large', state: 'running',
    address: 'private', launchedDaysAgo: 64, keyName: 'windows-admin',
    tags: [['Environment', 'production'], ['Team', 'finance'], ['Service', 'terminal-server']] },
  // Terminated instances stay listed for about an hour.
  { name: 'old-bastion', regionIndex: 0, zone: 2, family: 'al2', instanceType: 't3.nano', state: 'terminated',
    address: 'none', launchedDaysAgo: 220,
    tags: [['Environment', 'production'], ['Team', 'platform']] },
  { name: 'eu-web-1', regionIndex: 1, zone: 0, family: 'debian12', instanceType: 't4g.small', state: 'running',
    address: 'public', launchedDaysAgo: 20,
    tags: [['Environment', 'production'], ['Team', 'web'], ['Service', 'web']] },
  { name: 'wordpress-blog', regionIndex: 1, zone: 1, family: 'bitnami-wordpress', instanceType: 't3.small', state: 'running',
    address: 'public', launchedDaysAgo: 160,
    tags: [['Environment', 'production'], ['Team', 'marketing'], ['Service', 'blog']] },
  { name: 'fedora-dev', regionIndex: 1, zone: 2, family: 'fedora39', instanceType: 't3.micro', state: 'running',
    address: 'public', launchedDaysAgo: 2,
    tags: [['Environment', 'development'], ['Team', 'backend'], ['Owner', 'jane.doe']] },
  { name: 'sap-test', regionIndex: 1, zone: 0, family: 'sles15', instanceType: 'm6i.xlarge', state: 'stopped',
    address: 'public', launchedDaysAgo: 33,
    tags: [['Environment', 'test'], ['Team', 'erp'], ['Service', 'sap']] },
];

interface InstanceSpec {
  name: string;
  region: string;
  zone: number;
  family: ImageFamily;
  instanceType: string;
  state: InstanceStateName;
  address: 'public' | 'private' | 'none';
  vpc?: 'isolated';
  ipv6?: boolean;
  tags: [string, string][];
  keyName?: string;
  launchTime: Date;
  shell: boolean;
  inManifest: boolean;
  reservationId?: string;
}

export interface AccountOptions {
  regions: string[];
  generated: number;
  /** A loopback address for each instance that gets one (public, or private-only). */
  allocateAddress: () => string;
  /** When not root, every instance's OS user is the current user: the only one sshd can log in. */
  osUserOverride?: string;
  /** Put before every Linux instance's OS user (SandboxOptions.osUserPrefix). */
  osUserPrefix?: string;
}

interface Network {
  vpcOctet: number;
  vpc: Vpc;
  securityGroup: { id: string; name: string };
}

/** First VPC octets: each region's main VPC (like a default VPC) at 100 + its index, the isolated one at 200. */
const MAIN_VPC_OCTET = 100;
const ISOLATED_VPC_OCTET = 200;

function networkOf(region: string, vpcOctet: number, key: string): Network {
  const vpcId = stableId('vpc', key);
  const securityGroup = { id: stableId('sg', `sg/${key.slice(4)}`), name: 'default-ssh' };
  return {
    vpcOctet,
    vpc: {
      vpcId,
      region,
      cidr: `127.${vpcOctet}.0.0/16`,
      subnets: availabilityZones(region).map((zone, index) => ({
        subnetId: stableId('subnet', `subnet/${zone}${key.slice(`vpc/${region}`.length)}`),
        vpcId,
        availabilityZone: zone,
        cidr: `127.${vpcOctet}.${index * SUBNET_SPAN}.0/20`,
      })),
      securityGroupId: securityGroup.id,
    },
    securityGroup,
  };
}

export interface Account {
  vpcs: Vpc[];
  instances: InstanceRecord[];
}

export function buildAccount(options: AccountOptions): Account {
  const networks = new Map(options.regions.map((region, index) => [region, networkOf(region, MAIN_VPC_OCTET + index, `vpc/${region}`)]));
  const isolated = networkOf(options.regions[0], ISOLATED_VPC_OCTET, `vpc/${options.regions[0]}/isolated`);
  const now = Date.now();
  const usedPrivate = new Set<string>();
  const random = new SeededRandom(20241125);
  const privateAddress = (network: Network, zone: number): string => {
    for (;;) {
      const address = `127.${network.vpcOctet}.${zone * SUBNET_SPAN + random.int(0, SUBNET_SPAN - 1)}.${random.int(4, 250)}`;
      if (!usedPrivate.has(address)) {
        usedPrivate.add(address);
        return address;
      }
    }
  };

  const records: InstanceRecord[] = [];
  const add = (spec: InstanceSpec): void => {
    const network = spec.vpc === 'isolated' ? isolated : networks.get(spec.region)!;
    const vpcIp = privateAddress(network, spec.zone);
    const record: InstanceRecord = {
      instanceId: newInstanceId(),
      reservationId: spec.reservationId ?? `r-${randomHex(17)}`,
      region: spec.region,
      availabilityZone: availabilityZones(spec.region)[spec.zone],
      instanceType: spec.instanceType,
      family: spec.family,
      imageId: imageId(spec.region, spec.family),
      state: spec.state,
      stateTransitionReason: '',
      launchTime: spec.launchTime,
      vpcIp,
      addressKind: spec.address,
      address: spec.address === 'none' ? undefined : options.allocateAddress(),
      ipv6: spec.ipv6 ? `2600:1f18:${Array.from({ length: 6 }, () => randomHex(4)).join(':')}` : undefined,
      hostname: hostnameOf(vpcIp),
      tags: [['Name', spec.name], ...spec.tags],
      osUser: spec.family.platform ? spec.family.osUser : options.osUserOverride ?? `${options.osUserPrefix ?? ''}${spec.family.osUser}`,
      nitro: isNitro(spec.instanceType),
      vpcId: network.vpc.vpcId,
      subnetId: network.vpc.subnets[spec.zone].subnetId,
      securityGroup: network.securityGroup,
      keyName: spec.keyName,
      shell: spec.shell,
      inManifest: spec.inManifest,
      hostKeys: [],
    };
    if (spec.state === 'stopped' || spec.state === 'terminated') stoppedByUser(record, new Date(spec.launchTime.getTime() + 3_600_000));
    records.push(record);
  };

  for (const spec of DEFAULT_INSTANCES) {
    const region = options.regions[Math.min(spec.regionIndex, options.regions.length - 1)];
    const family = imageFamily(spec.family);
    add({
      ...spec,
      region,
      family,
      launchTime: new Date(now - spec.launchedDaysAgo * 86_400_000 - random.int(0, 86_399) * 1000),
      shell: !family.platform && spec.state !== 'terminated',
      inManifest: true,
    });
  }

  generateInstances(options, random, now, add);
  return { vpcs: [...[...networks.values()].map((network) => network.vpc), isolated.vpc], instances: records };
}

const SERVICES = ['api', 'web', 'worker', 'cache', 'search', 'etl', 'auth', 'billing', 'ingest', 'gateway', 'ml', 'cron'];
const TEAMS = ['platform', 'backend', 'data', 'payments', 'growth', 'security', 'ml'];
const ENVIRONMENTS = ['production', 'staging', 'development', 'test'];
const X86_TYPES = ['t3.micro', 't3.small', 't3.medium', 't3a.large', 'm5.large', 'm6i.xlarge', 'c6i.2xlarge', 'r6i.large', 't2.micro', 't2.medium', 'm4.large', 'c5.xlarge'];
const ARM_TYPES = ['t4g.micro', 't4g.small', 'm7g.large', 'c7g.xlarge', 'r7g.large'];
/** Weighted like a typical account: mostly Amazon Linux and Ubuntu. */
const FAMILY_WEIGHTS: [string, number][] = [
  ['al2023', 30], ['al2', 20], ['ubuntu2204', 15], ['ubuntu2404', 10], ['debian12', 6], ['rhel9', 5],
  ['centos7', 3], ['fedora39', 2], ['bitnami-wordpress', 3], ['sles15', 2], ['windows2022', 4],
];

function generateInstances(
  options: AccountOptions,
  random: SeededRandom,
  now: number,
  add: (spec: InstanceSpec) => void,
): void {
  const totalWeight = FAMILY_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const pickFamily = (): ImageFamily => {
    let roll = random.next() * totalWeight;
    for (const [key, weight] of FAMILY_WEIGHTS) {
      roll -= weight;
      if (roll < 0) return imageFamily(key);
    }
    return IMAGE_FAMILIES[0];
  };
  let reservationId = '';
  let leftInReservation = 0;
  for (let index = 0; index < options.generated; index++) {
    const region = options.regions[index % options.regions.length];
    const family = pickFamily();
    const service = random.pick(SERVICES);
    const environment = random.pick(ENVIRONMENTS);
    const roll = random.next();
    const state: InstanceStateName = roll < 0.78 ? 'running' : roll < 0.96 ? 'stopped' : 'terminated';
    // Instances launched together share a reservation, as with RunInstances --count.
    if (leftInReservation === 0) {
      reservationId = `r-${randomHex(17)}`;
      leftInReservation = random.chance(0.2) ? random.int(2, 4) : 1;
    }
    leftInReservation--;
    add({
      name: `${service}-${environment.slice(0, 4)}-${String(index + 1).padStart(4, '0')}`,
      region,
      zone: random.int(0, 2),
      family,
      instanceType: random.pick(family.architecture === 'arm64' ? ARM_TYPES : X86_TYPES),
      state,
      address: state === 'terminated' ? 'none' : random.chance(0.6) ? 'public' : 'private',
      tags: [['Environment', environment], ['Team', random.pick(TEAMS)], ['Service', service]],
      launchTime: new Date(now - random.int(1, 400 * 86_400) * 1000),
      shell: false,
      inManifest: false,
      reservationId,
    });
  }
}

