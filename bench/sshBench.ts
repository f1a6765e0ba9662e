/**
 * What the connect, throughput and memory benchmarks share: one sandbox with real sshd instances (its key
 * window a day long, so that the floor's key stays authorized), the instance they connect to, and the
 * OpenSSH floor's key, pushed once.
 */
import { join } from 'node:path';

import { EC2InstanceConnectClient, SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';

import type { SandboxInstance } from '../sandbox';
import { sshKeygen, type TwoStepTarget } from './peers';
import { type SandboxProcess, startSandboxProcess } from './sandboxProcess';
import type { Target } from './sessionProbe';

export interface SshBench {
  sandbox: SandboxProcess;
  /** The instance every run connects to (Amazon Linux, ec2-user). */
  instance: SandboxInstance & TwoStepTarget;
  target: Target;
  /** Every running Linux instance with a public address: the memory benchmark spreads its sessions over them. */
  targets: Target[];
  /** An ed25519 key authorized on the instance for the whole run: OpenSSH's floor. */
  floorKey: string;
  knownHosts: string;
  stop(): Promise<void>;
}

async function push(sandbox: SandboxProcess, instance: SandboxInstance, publicKey: string): Promise<void> {
  const client = new EC2InstanceConnectClient({ region: instance.region, endpoint: sandbox.manifest.endpoint, credentials: sandbox.manifest.credentials, maxAttempts: 1 });
  await client.send(new SendSSHPublicKeyCommand({ InstanceId: instance.instanceId, InstanceOSUser: instance.osUser, SSHPublicKey: publicKey, AvailabilityZone: instance.availabilityZone }));
  client.destroy();
}

export async function startSshBench(): Promise<SshBench> {
  const sandbox = await startSandboxProcess(['--key-window', '86400']);
  try {
    const reachable = sandbox.manifest.instances.filter((i) => i.state === 'running' && !i.platform && i.publicIp !== null);
    const first = reachable.find((i) => i.name === 'web-prod-1') ?? reachable[0];
    if (!first) throw new Error('the sandbox has no running Linux instance');
    const instance = { ...first, user: first.osUser, endpoint: sandbox.manifest.endpoint };
    const floorKey = sshKeygen(join(sandbox.dir, 'floor_ed25519'));
    await push(sandbox, first, floorKey.publicKey);
    const toTarget = (i: SandboxInstance): Target => ({ instanceId: i.instanceId, region: i.region, port: i.port });
    return {
      sandbox,
      instance,
      target: toTarget(first),
      targets: reachable.map(toTarget),
      floorKey: floorKey.file,
      knownHosts: join(sandbox.dir, 'known_hosts'),
      stop: () => sandbox.stop(),
    };
  } catch (err) {
    await sandbox.stop();
    throw err;
  }
}
