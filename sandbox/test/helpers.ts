// Shared by the sandbox's integration tests: SDK clients pointed at a sandbox, and ssh2 helpers.
import { EC2Client } from '@aws-sdk/client-ec2';
import { EC2InstanceConnectClient } from '@aws-sdk/client-ec2-instance-connect';
import { Client, utils } from 'ssh2';

import type { Sandbox, SandboxInstance } from '../index';

/** No retries: a test must see the sandbox's first answer, not the SDK's recovery from it. */
export function ec2Client(sandbox: Sandbox, region = sandbox.manifest.regions[0], secretAccessKey?: string): EC2Client {
  const { endpoint, credentials } = sandbox.manifest;
  return new EC2Client({ region, endpoint, credentials: { ...credentials, ...(secretAccessKey ? { secretAccessKey } : {}) }, maxAttempts: 1 });
}

export function eicClient(sandbox: Sandbox, region = sandbox.manifest.regions[0], secretAccessKey?: string): EC2InstanceConnectClient {
  const { endpoint, credentials } = sandbox.manifest;
  return new EC2InstanceConnectClient({ region, endpoint, credentials: { ...credentials, ...(secretAccessKey ? { secretAccessKey } : {}) }, maxAttempts: 1 });
}

/**
 * An ed25519 pair from ssh2, minus the 1 in 256 it generates malformed: its generator strips leading zero
 * bytes from the public key, which then reads back as a different key (or none).
 */
export function newKey(): { privateKey: string; publicKey: string } {
  for (;;) {
    const pair = utils.generateKeyPairSync('ed25519');
    const privateKey = utils.parseKey(pair.private);
    const publicKey = utils.parseKey(pair.public);
    if (privateKey instanceof Error || publicKey instanceof Error) continue;
    if (privateKey.getPublicSSH().equals(publicKey.getPublicSSH())) return { privateKey: pair.private, publicKey: pair.public };
  }
}

export function instanceNamed(sandbox: Sandbox, name: string): SandboxInstance {
  const instance = sandbox.manifest.instances.find((candidate) => candidate.name === name);
  if (!instance) throw new Error(`no instance named ${name}`);
  return instance;
}

export interface SshTarget {
  host: string;
  port: number;
  username: string;
  privateKey: string;
}

export function sshConnect(target: SshTarget): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    client.once('ready', () => resolve(client));
    client.once('error', reject);
    client.connect({ ...target, readyTimeout: 5000 });
  });
}

export function exec(client: Client, command: string): Promise<string> {
  return new Promise((resolve, reject) => {
    client.exec(command, (error, stream) => {
      if (error) {
        reject(error);
        return;
      }
      let output = '';
      stream.on('data', (data: Buffer) => {
        output += data.toString();
      });
      stream.stderr.on('data', () => undefined);
      stream.on('close', () => resolve(output));
    });
  });
}

/** Connects, runs one command, disconnects. Rejects when authentication fails. */
export async function sshRun(target: SshTarget, command: string): Promise<string> {
  const client = await sshConnect(target);
  try {
    return await exec(client, command);
  } finally {
    client.end();
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));
