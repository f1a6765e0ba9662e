// The AMI families the sandbox's instances run. Names, descriptions, owners and platform details follow
// what DescribeImages returns for the public images, so OS-user detection can be tested against them.
import { stableId } from './ids';

export type Architecture = 'x86_64' | 'arm64';

export interface ImageFamily {
  key: string;
  name: string;
  description: string;
  ownerId: string;
  ownerAlias?: string;
  platformDetails: string;
  usageOperation: string;
  platform?: 'windows';
  architecture: Architecture;
  creationDate: string;
  /** The default login of the image: what a user types after `ssh`. */
  osUser: string;
  /** What its serial console prints above the login prompt. */
  consoleBanner: string;
  kernel: string;
}

const amazon = '137112412989';

export const IMAGE_FAMILIES: readonly ImageFamily[] = [
  {
    key: 'al2023', name: 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64',
    description: 'Amazon Linux 2023 AMI 2023.6.20241121.0 x86_64 HVM kernel-6.1',
    ownerId: amazon, ownerAlias: 'amazon', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    architecture: 'x86_64', creationDate: '2024-11-21T19:45:37.000Z', osUser: 'ec2-user',
    consoleBanner: 'Amazon Linux 2023.6.20241121', kernel: '6.1.115-126.197.amzn2023.x86_64',
  },
  {
    key: 'al2', name: 'amzn2-ami-kernel-5.10-hvm-2.0.20241113.1-x86_64-gp2',
    description: 'Amazon Linux 2 Kernel 5.10 AMI 2.0.20241113.1 x86_64 HVM gp2',
    ownerId: amazon, ownerAlias: 'amazon', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    architecture: 'x86_64', creationDate: '2024-11-13T22:12:08.000Z', osUser: 'ec2-user',
    consoleBanner: 'Amazon Linux 2', kernel: '5.10.228-219.884.amzn2.x86_64',
  },
  {
    key: 'ubuntu2204', name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241002',
    description: 'Canonical, Ubuntu, 22.04 LTS, amd64 jammy image build on 2024-10-02',
    ownerId: '099720109477', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    architecture: 'x86_64', creationDate: '2024-10-02T08:24:13.000Z', osUser: 'ubuntu',
    consoleBanner: 'Ubuntu 22.04.5 LTS', kernel: '6.8.0-1016-aws',
  },
  {
    key: 'ubuntu2404', name: 'ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20241109',
    description: 'Canonical, Ubuntu, 24.04, amd64 noble image',
    ownerId: '099720109477', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    architecture: 'x86_64', creationDate: '2024-11-09T03:11:52.000Z', osUser: 'ubuntu',
    consoleBanner: 'Ubuntu 24.04.1 LTS', kernel: '6.8.0-1018-aws',
  },
  {
    key: 'debian12', name: 'debian-12-arm64-20241110-1928',
    description: 'Debian 12 (20241110-1928)',
    ownerId: '136693071363', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    architecture: 'arm64', creationDate: '2024-11-10T19:33:45.000Z', osUser: 'admin',
    consoleBanner: 'Debian GNU/Linux 12', kernel: '6.1.0-27-cloud-arm64',
  },
  {
    key: 'rhel9', name: 'RHEL-9.4.0_HVM-20240605-x86_64-82-Hourly2-GP3',
    description: 'Provided by Red Hat, Inc.',
    ownerId: '309956199498', platformDetails: 'Red Hat Enterprise Linux', usageOperation: 'RunInstances:0010',
    architecture: 'x86_64', creationDate: '2024-06-05T15:05:26.000Z', osUser: 'ec2-user',
    consoleBanner: 'Red Hat Enterprise Linux 9.4 (Plow)', kernel: '5.14.0-427.20.1.el9_4.x86_64',
  },
  {
    key: 'centos7', name: 'CentOS Linux 7 x86_64 HVM EBS ENA 2002_01-b7ee8a69-ee97-4a49-9e68-afaee216db2e',
    description: 'CentOS Linux 7 x86_64 HVM EBS ENA 2002_01',
    ownerId: '679593333241', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    architecture: 'x86_64', creationDate: '2020-03-09T21:54:48.000Z', osUser: 'centos',
    consoleBanner: 'CentOS Linux 7 (Core)', kernel: '3.10.0-1127.el7.x86_64',
  },
  {
    key: 'fedora39', name: 'Fedora-Cloud-Base-39-1.5.x86_64-hvm-us-east-1-gp3-0',
    description: 'Fedora-Cloud-Base-39-1.5.x86_64',
    ownerId: '125523088429', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    architecture: 'x86_64', creationDate: '2023-11-01T04:13:20.000Z', osUser: 'fedora',
    consoleBanner: 'Fedora Linux 39 (Cloud Edition)', kernel: '6.5.6-300.fc39.x86_64',
  },
  {
    key: 'bitnami-wordpress', name: 'bitnami-wordpress-6.7.1-0-r02-linux-debian-12-x86_64-hvm-ebs-nami',
    description: 'Bitnami WordPress 6.7.1-0-r02 on Debian 12',
    ownerId: '979382823631', platformDetails: 'Linux/UNIX', usageOperation: 'RunInstances',
    architecture: 'x86_64', creationDate: '2024-11-26T10:02:31.000Z', osUser: 'bitnami',
    consoleBanner: 'Debian GNU/Linux 12', kernel: '6.1.0-28-cloud-amd64',
  },
  {
    key: 'sles15', name: 'suse-sles-15-sp6-v20241113-hvm-ssd-x86_64',
    description: 'SUSE Linux Enterprise Server 15 SP6 (HVM, 64-bit, SSD-Backed)',
    ownerId: '013907871322', ownerAlias: 'amazon', platformDetails: 'SUSE Linux', usageOperation: 'RunInstances:000g',
    architecture: 'x86_64', creationDate: '2024-11-13T21:40:05.000Z', osUser: 'ec2-user',
    consoleBanner: 'SUSE Linux Enterprise Server 15 SP6', kernel: '6.4.0-150600.23.25-default',
  },
  {
    key: 'windows2022', name: 'Windows_Server-2022-English-Full-Base-2024.11.13',
    description: 'Microsoft Windows Server 2022 Full Locale English AMI provided by Amazon',
    ownerId: '801119661308', ownerAlias: 'amazon', platformDetails: 'Windows', usageOperation: 'RunInstances:0002',
    platform: 'windows', architecture: 'x86_64', creationDate: '2024-11-13T07:49:24.000Z', osUser: 'Administrator',
    consoleBanner: 'Windows Server 2022', kernel: '10.0.20348',
  },
];

export function imageFamily(key: string): ImageFamily {
  const family = IMAGE_FAMILIES.find((candidate) => candidate.key === key);
  if (!family) throw new Error(`unknown image family ${key}`);
  return family;
}

/** AMI ids differ from region to region, as they do on AWS. */
export function imageId(region: string, family: ImageFamily): string {
  return stableId('ami', `${region}/${family.key}`);
}
