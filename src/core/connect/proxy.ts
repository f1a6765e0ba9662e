import type { Duplex, Readable, Writable } from 'node:stream';

import type { Logger } from '../base/log';
import { relay } from '../transport/relay';

/**
 * `ec2ic proxy`, the ProxyCommand of every host entry: on each connection ssh makes (Remote-SSH
 * reconnects included) it looks the instance up while it pushes the public key, which the instance then
 * accepts for 60 seconds, opens TCP to the instance's SSH port (or a tunnel through its Instance Connect Endpoint)
 * and relays ssh's stdin/stdout over it. ssh does the SSH protocol itself, with the private key in the
 * IdentityFile, and checks the host key in known_hosts.
 */

/** Where the relay goes, as the failure messages name it. */
export interface ProxyTarget {
  host: string;
  port: number;
  /** "web (i-0abc…) in us-east-1" */
  who: string;
  addressKind?: string;
  user: string;
  /** The Instance Connect Endpoint the connection goes through, when it does. */
  endpointId?: string;
}

/** The steps before the relay, over the product's connect flow (kept apart so that the relay is tested alone). */
export interface ProxySteps {
  /**
   * SendSSHPublicKey for the user ssh logs in as. It needs nothing the lookup finds, so it starts at once,
   * beside it: one round trip to AWS fewer before ssh's first byte.
   */
  push(): Promise<void>;
  /** Describes the instance, checks it can take a connection, and chooses the way in. */
  resolve(): Promise<ProxyTarget>;
  /** TCP to the instance's SSH port, or a tunnel to it through its endpoint; a failure comes in the product's words. */
  open(target: ProxyTarget): Promise<Duplex>;
  /** Releases what resolve, push and open used (SDK clients), so that only the relay keeps the process alive. */
  release(): void;
}

export interface ProxyIo {
  input: Readable;
  output: Writable;
  log: Logger;
  /** Called once the relay starts: ssh's bytes are going through. */
  onRelaying?(): void;
}

/**
 * The key push starts with the lookup, and the connection opens as soon as the lookup has chosen the way
 * in, while the push may still be on its way; but no byte of ssh's goes through before the push is done:
 * ssh could otherwise offer its key before the instance accepts it. A failed lookup wins over the push (it
 * says more: a stopped instance, a wrong id), and a failed push wins over whatever the connection did meanwhile.
 */
export async function runProxy(steps: ProxySteps, io: ProxyIo): Promise<void> {
  const log = io.log.child('proxy');
  let target: ProxyTarget;
  let socket: Duplex;
  const pushed = steps.push();
  // Awaited below, after the lookup: until then its failure must not count as unhandled.
  pushed.catch(() => {});
  try {
    target = await steps.resolve();
    const opening = steps.open(target);
    opening.catch(() => {});
    try {
      await pushed;
    } catch (err) {
      opening.then((s) => s.destroy(), () => {});
      throw err;
    }
    socket = await opening;
    log.debug(`pushed the key for ${target.user}; relaying to ${target.host}:${target.port}${target.endpointId ? ` through ${target.endpointId}` : ''}`);
  } finally {
    steps.release();
  }
  const relaying = relay(socket, io.input, io.output);
  io.onRelaying?.();
  await relaying;
  log.debug(`the connection to ${target.host}:${target.port} closed`);
}
