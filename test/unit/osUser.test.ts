import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { ImageInfo } from '../../src/core/aws/images';
import type { Ec2Instance } from '../../src/core/aws/model';
import { MemoryStore } from '../../src/core/base/store';
import { checkNotWindows, detectOsUser, OsUserMemory, validateOsUser } from '../../src/core/connect/osUser';
import { isProductError } from '../../src/core/errors/productError';

const image = (name: string, description = '', platformDetails = 'Linux/UNIX'): ImageInfo => ({ imageId: 'ami-1', name, description, platformDetails });
const linux = { platformDetails: 'Linux/UNIX' };

test('the default user of each common image family, from real AMI names and descriptions', () => {
  const cases: [ImageInfo, string][] = [
    [image('al2023-ami-2023.5.20240819.0-kernel-6.1-x86_64', 'Amazon Linux 2023 AMI 2023.5.20240819.0 x86_64 HVM kernel-6.1'), 'ec2-user'],
    [image('amzn2-ami-kernel-5.10-hvm-2.0.20240816.0-x86_64-gp2', 'Amazon Linux 2 Kernel 5.10 AMI 2.0.20240816.0 x86_64 HVM gp2'), 'ec2-user'],
    [image('ubuntu/images/hvm-ssd-gp3/ubuntu-noble-24.04-amd64-server-20240801', 'Canonical, Ubuntu, 24.04, amd64 noble image'), 'ubuntu'],
    [image('debian-12-amd64-20240717-1811', 'Debian 12 (20240717-1811)'), 'admin'],
    [image('CentOS Linux 7 x86_64 HVM EBS ENA 2002_01-b7ee8a69', 'CentOS Linux 7 x86_64 HVM EBS ENA 2002_01'), 'centos'],
    [image('CentOS Stream 9 x86_64 20240812', 'CentOS Stream 9 x86_64 20240812'), 'ec2-user'],
    [image('Fedora-Cloud-Base-40-1.14.x86_64-hvm-us-east-1-gp3-0', 'Fedora-Cloud-Base-40-1.14.x86_64'), 'fedora'],
    [image('bitnami-wordpress-6.6.1-r0-debian-12-amd64', 'Bitnami WordPress 6.6.1-r0 on Debian 12'), 'bitnami'],
    [image('RHEL-9.4.0_HVM-20240605-x86_64-82-Hourly2-GP3', 'Provided by Red Hat, Inc.', 'Red Hat Enterprise Linux'), 'ec2-user'],
    [image('suse-sles-15-sp6-v20240808-hvm-ssd-x86_64', 'SUSE Linux Enterprise Server 15 SP6', 'SUSE Linux'), 'ec2-user'],
    [image('OL9.4-x86_64-HVM-2024-06-13', 'Oracle Linux 9 update 4 for x86_64 HVM'), 'ec2-user'],
    [image('Rocky-9-EC2-Base-9.4-20240523.0.x86_64', 'Rocky Linux 9.4'), 'rocky'],
    [image('AlmaLinux OS 9.4.20240805 x86_64', 'Official AlmaLinux OS 9 image'), 'ec2-user'],
    [image('FreeBSD 14.1-RELEASE-amd64', 'FreeBSD/amd64 releng/14.1'), 'ec2-user'],
    [image('fedora-coreos-40.20240728.3.0-x86_64', 'Fedora CoreOS stable 40.20240728.3.0'), 'core'],
  ];
  for (const [info, user] of cases) assert.equal(detectOsUser(info, linux), user, info.name);
});

test('an image that says nothing: its platform details, else unknown', () => {
  assert.equal(detectOsUser(image('my-golden-image-42', '', 'Red Hat Enterprise Linux'), linux), 'ec2-user');
  assert.equal(detectOsUser(image('my-golden-image-42', '', 'Ubuntu Pro'), linux), 'ubuntu');
  assert.equal(detectOsUser(image('my-golden-image-42', 'built by the platform team'), linux), undefined);
  assert.equal(detectOsUser(undefined, { platformDetails: 'SUSE Linux' }), 'ec2-user', 'an image that is gone: the instance platform');
  assert.equal(detectOsUser(undefined, linux), undefined);
});

test('Windows instances: a clear windowsUnsupported error', () => {
  const windows = { instanceId: 'i-0123456789abcdef0', name: 'dc1', region: 'us-east-1', platform: 'windows', platformDetails: 'Windows' } as Ec2Instance;
  assert.throws(
    () => checkNotWindows(windows),
    (err: unknown) => isProductError(err, 'windowsUnsupported') && /dc1 \(i-0123456789abcdef0\).*only Linux/.test(err.message),
  );
  const byImage = { ...windows, platform: 'linux', platformDetails: 'Linux/UNIX' } as Ec2Instance;
  assert.throws(() => checkNotWindows(byImage, { imageId: 'ami-1', platform: 'windows' }), (err: unknown) => isProductError(err, 'windowsUnsupported'));
  assert.doesNotThrow(() => checkNotWindows(byImage, image('al2023-ami')));
});

test('user names are checked as the API checks them', () => {
  for (const ok of ['ec2-user', 'ubuntu', '_svc', 'deploy.bot', 'a']) assert.equal(validateOsUser(ok), undefined, ok);
  for (const bad of ['', '1abc', 'has space', 'x'.repeat(33), 'semi;colon']) assert.ok(validateOsUser(bad), bad);
});

test('a chosen user is remembered per instance, and can be forgotten', async () => {
  const store = new MemoryStore();
  const memory = new OsUserMemory(store);
  await memory.remember('i-0123456789abcdef0', 'ubuntu');
  assert.equal(new OsUserMemory(store).get('i-0123456789abcdef0'), 'ubuntu');
  assert.equal(memory.get('i-0fedcba9876543210'), undefined);
  await memory.forget('i-0123456789abcdef0');
  assert.equal(memory.get('i-0123456789abcdef0'), undefined);
});
