import type { Readable, Writable } from 'node:stream';

import type { Logger } from '../base/log';
import { relay } from '../transport/relay';
import { connectTcp } from '../transport/tcp';

/**
 * `ec2ic proxy`, the ProxyCommand of every host entry: on each connection ssh makes (Remote-SSH
 * reconnects included) it looks the instance up, pushes the public key, which the instance then accepts
 * for 60 seconds, opens TCP to the instance's SSH port and relays ssh's stdin/stdout over it. ssh does the
 * SSH protocol itself, with the private key in the IdentityFile, and checks the host key in known_hosts.
 */

/** Where the relay goes, as the failure messages name it. */
export interface ProxyTarget {
  host: string;
  port: number;
  /** "web (i-0abc…) in us-east-1" */
  who: string;
  addressKind?: string;
  user: string;
}

/** The steps before the relay, over the product's connect flow (kept apart so that the relay is tested alone). */
export interface ProxySteps {
  /** Describes the instance, checks it can take a connection, and chooses its address. */
  resolve(): Promise<ProxyTarget>;
  /** SendSSHPublicKey for the target's user. */
  push(target: ProxyTarget): Promise<void>;
  /** Releases what resolve and push used (SDK clients), so that only the relay keeps the process alive. */
  release(): void;
  /** A TCP connect failure in the product's words. */
  connectFailure(err: unknown, target: ProxyTarget): unknown;
}

export interface ProxyIo {
  input: Readable;
  output: Writable;
  log: Logger;
  connectTimeoutSeconds: number;
}

export async function runProxy(steps: ProxySteps, io: ProxyIo): Promise<void> {
  const log = io.log.child('proxy');
  let target: ProxyTarget;
  try {
    target = await steps.resolve();
    await steps.push(target);
    log.debug(`pushed the key for ${target.user}; connecting to ${target.host}:${target.port}`);
  } finally {
    steps.release();
  }
  let socket;
  try {
    socket = await connectTcp(target.host, target.port, io.connectTimeoutSeconds * 1000);
  } catch (err) {
    throw steps.connectFailure(err, target);
  }
  await relay(socket, io.input, io.output);
  log.debug(`the connection to ${target.host}:${target.port} closed`);
}
