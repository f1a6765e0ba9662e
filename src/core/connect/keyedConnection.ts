import type { Duplex } from 'node:stream';

import { withDeadline } from '../base/deadline';
import type { Logger } from '../base/log';
import type { KeyTypeSetting } from '../base/settings';
import { ProductError } from '../errors/productError';
import type { PresentedHostKey } from '../ssh/hostKeys';
import type { KeyFactory } from '../ssh/keys';
import { openSshConnection, type SshConnection } from '../ssh/session';
import { isAuthFailure, type SshEndpoint } from '../ssh/sshErrors';
import { defaultDeadlines, pushTooSlow, type StageDeadlines } from './pushDeadlines';

/** One connection authenticated with a fresh key that EC2 Instance Connect pushes (an instance, a serial console endpoint). */
export interface KeyedConnectionRequest {
  endpoint: SshEndpoint;
  keys: KeyFactory;
  keyType: KeyTypeSetting;
  /** SendSSHPublicKey or SendSerialConsoleSSHPublicKey of this public key: accepted for the next 60 seconds. */
  push(publicKey: string, signal?: AbortSignal): Promise<void>;
  /** The API the push calls, as the message about a slow one names it. */
  pushOperation: 'SendSSHPublicKey' | 'SendSerialConsoleSSHPublicKey';
  /** Resolves the credentials the push is signed with (cached after the first time), before it. */
  credentials(signal?: AbortSignal): Promise<unknown>;
  /** The deadlines of the credentials and of each push (AWS's side, not the instance's). */
  deadlines?: Partial<StageDeadlines>;
  verifyHostKey(key: PresentedHostKey): Promise<void>;
  /** Opens the stream SSH runs over (an Instance Connect Endpoint's tunnel) while the key is pushed; without it, TCP to the endpoint. */
  openSocket?(signal?: AbortSignal): Promise<Duplex>;
  /** The failure to report when the key is refused, also after it was pushed again: `pushes` says how often it was. */
  refused(pushes: number): ProductError;
  connectTimeoutSeconds: number;
  keepaliveIntervalSeconds: number;
  log: Logger;
  signal?: AbortSignal;
}

/**
 * The sequence Connect and the serial console share: a fresh in-memory key, its push running while the TCP
 * and SSH handshakes do (the key is offered once pushed), and one more push when the key is refused (its
 * 60-second window may have closed meanwhile: a slow handshake, a clock that is off). A failed push explains
 * more than what it caused or raced (a refused connection, a timeout), so its error is the one thrown.
 */
export async function openKeyedConnection(request: KeyedConnectionRequest): Promise<SshConnection> {
  const { endpoint, log, signal } = request;
  const deadlines = { ...defaultDeadlines, ...request.deadlines };
  const started = performance.now();
  const key = request.keys.generate(request.keyType);
  log.debug(`generated a one-time ${key.type} key in ${Math.round(performance.now() - started)} ms`);
  const push = (pushSignal?: AbortSignal) =>
    withDeadline(deadlines.pushSeconds, () => pushTooSlow(request.pushOperation, endpoint.who, deadlines.pushSeconds), (s) => request.push(key.publicKey, s), pushSignal);
  const pushed = withDeadline(deadlines.credentialsSeconds, () => credentialsTooSlow(endpoint.who, deadlines.credentialsSeconds), (s) => request.credentials(s), signal).then(() =>
    push(signal),
  );
  const pushFailure = pushed.then(
    () => undefined,
    (err: unknown) => err ?? new Error('the key push failed'),
  );
  let pushes = 1;
  try {
    const sock = request.openSocket ? await openBesidePush(request.openSocket(signal), pushFailure) : undefined;
    return await openSshConnection({
      endpoint,
      sock,
      privateKey: key.privateKey,
      keyAuthorized: pushed,
      readyTimeoutSeconds: request.connectTimeoutSeconds,
      keepaliveIntervalSeconds: request.keepaliveIntervalSeconds,
      log: log.child('ssh'),
      signal,
      verifyHostKey: (hostKey) => request.verifyHostKey(hostKey),
      onKeyRefused: async (refusals) => {
        if (refusals > 1) return false;
        log.info(`${endpoint.user}@${endpoint.host} refused the key; pushing it again (its 60-second window may have closed)`);
        await push(signal);
        pushes++;
        return true;
      },
    });
  } catch (err) {
    const pushError = await pushFailure;
    if (pushError !== undefined) throw pushError;
    if (isAuthFailure(err)) throw request.refused(pushes);
    throw err;
  }
}

/**
 * The tunnel, opening while the key is pushed: a push that fails first ends the wait with its error (and the
 * tunnel, should it open after all, is closed).
 */
async function openBesidePush(opening: Promise<Duplex>, pushFailure: Promise<unknown>): Promise<Duplex> {
  const pushFailed = pushFailure.then((err) => (err === undefined ? new Promise<never>(() => {}) : Promise.reject(err)));
  try {
    return await Promise.race([opening, pushFailed]);
  } catch (err) {
    opening.then((sock) => sock.destroy(), () => {});
    throw err;
  }
}

function credentialsTooSlow(who: string, seconds: number): ProductError {
  return new ProductError(
    'timeout',
    `The AWS credentials for connecting to ${who} were not ready within ${seconds} seconds: a credential_process, an SSO token refresh or the instance metadata service did not answer. Check the profile, then try again.`,
    { stage: 'credentials' },
  );
}
