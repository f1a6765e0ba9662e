// What GetConsoleOutput returns: the instance's boot log, with the SSH host key fingerprints printed the
// way cloud-init prints them, so that host keys can be checked against it before the first connection.
import { createHash } from 'node:crypto';

import type { HostKeyInfo, InstanceRecord } from './account';
import { fingerprintOf } from './ssh-keys';

/** Made-up (but well-formed) host keys for listing-only instances, stable per instance. */
export function placeholderHostKeys(instance: InstanceRecord): HostKeyInfo[] {
  const seed = createHash('sha256').update(instance.instanceId).digest();
  const type = Buffer.from('ssh-ed25519');
  const blob = Buffer.concat([Buffer.from([0, 0, 0, type.length]), type, Buffer.from([0, 0, 0, 32]), seed]);
  return [{
    publicKey: `ssh-ed25519 ${blob.toString('base64')} root@${instance.hostname}`,
    fingerprint: fingerprintOf(blob),
    bits: 256,
    label: 'ED25519',
  }];
}

function syslogTime(date: Date): string {
  const month = date.toLocaleString('en-US', { month: 'short', timeZone: 'UTC' });
  const day = String(date.getUTCDate()).padStart(2, ' ');
  return `${month} ${day} ${date.toISOString().slice(11, 19)}`;
}

function kernelTime(seconds: number): string {
  return `[${seconds.toFixed(6).padStart(12, ' ')}]`;
}

function windowsOutput(instance: InstanceRecord): string {
  const stamp = (offset: number): string =>
    new Date(instance.launchTime.getTime() + offset * 1000).toISOString().replace('T', ' ').replace(/-/g, '/').replace(/\.\d+Z$/, 'Z');
  return [
    `${stamp(41)}: Windows sysprep configuration complete.`,
    `${stamp(43)}: Message: Waiting for access to metadata...`,
    `${stamp(44)}: Message: Meta-data is now available.`,
    `${stamp(46)}: AMI Origin Version: 2024.11.13`,
    `${stamp(46)}: AMI Origin Name: ${instance.family.name}`,
    `${stamp(47)}: OS: Microsoft Windows NT 10.0.20348`,
    `${stamp(47)}: Username: Administrator`,
    `${stamp(48)}: Password: <Password>`,
    `${stamp(49)}: RDPCERTIFICATE-SUBJECTNAME: EC2AMAZ-${instance.instanceId.slice(2, 9).toUpperCase()}`,
    `${stamp(52)}: Message: Windows is Ready to use`,
    '',
  ].join('\r\n');
}

export function consoleOutput(instance: InstanceRecord): string {
  if (instance.family.platform === 'windows') return windowsOutput(instance);
  const boot = instance.launchTime;
  const at = (seconds: number): Date => new Date(boot.getTime() + seconds * 1000);
  // Older cloud-init (Amazon Linux 2, CentOS 7) prefixes "ec2: "; newer ones log through syslog as "<14>… cloud-init: ".
  const legacy = instance.family.key === 'al2' || instance.family.key === 'centos7';
  const prefix = legacy ? 'ec2: ' : `<14>${syslogTime(at(14))} cloud-init: `;
  const fqdn = `${instance.hostname}`;
  const keys = instance.hostKeys;
  return [
    `${kernelTime(0)} Linux version ${instance.family.kernel} (mockbuild@builder) #1 SMP`,
    `${kernelTime(0)} Command line: BOOT_IMAGE=/boot/vmlinuz-${instance.family.kernel} root=UUID=0b9f6a2e console=tty0 console=ttyS0,115200n8 nvme_core.io_timeout=4294967295`,
    `${kernelTime(0.000012)} DMI: Amazon EC2 ${instance.instanceType}/, BIOS 1.0 10/16/2017`,
    `${kernelTime(1.482213)} Run /init as init process`,
    `${kernelTime(4.019883)} systemd[1]: Set hostname to <${fqdn}>.`,
    `${kernelTime(9.611210)} cloud-init[1601]: Cloud-init v. 22.2.2 running 'init' at ${at(9).toUTCString()}. Up 9.58 seconds.`,
    `${kernelTime(9.712330)} cloud-init[1601]: ci-info: ++++++++++++++++++++++++++++++++++++++Net device info++++++++++++++++++++++++++++++++++++++`,
    `${kernelTime(9.712401)} cloud-init[1601]: ci-info: | Device |  Up  |   Address   |      Mask     | Scope  |     Hw-Address    |`,
    `${kernelTime(9.712459)} cloud-init[1601]: ci-info: |  ens5  | True | ${instance.vpcIp.padEnd(11)} | 255.255.240.0 | global | 0a:${instance.instanceId.slice(2, 12).match(/../g)!.join(':')} |`,
    `${kernelTime(11.203117)} cloud-init[1601]: Generating public/private ecdsa key pair.`,
    `${kernelTime(11.240032)} cloud-init[1601]: Generating public/private ed25519 key pair.`,
    `${prefix}#############################################################`,
    `${prefix}-----BEGIN SSH HOST KEY FINGERPRINTS-----`,
    ...keys.map((key) => `${prefix}${key.bits} ${key.fingerprint} root@${fqdn} (${key.label})`),
    `${prefix}-----END SSH HOST KEY FINGERPRINTS-----`,
    `${prefix}#############################################################`,
    '-----BEGIN SSH HOST KEY KEYS-----',
    ...keys.map((key) => key.publicKey),
    '-----END SSH HOST KEY KEYS-----',
    `${kernelTime(14.902285)} cloud-init[1923]: Cloud-init v. 22.2.2 finished at ${at(14).toUTCString()}. Datasource DataSourceEc2Local.  Up 14.88 seconds`,
    '',
    `${instance.family.consoleBanner}`,
    `Kernel ${instance.family.kernel} on an ${instance.family.architecture === 'arm64' ? 'aarch64' : 'x86_64'}`,
    '',
    `${instance.hostname} login: `,
  ].join('\n');
}
