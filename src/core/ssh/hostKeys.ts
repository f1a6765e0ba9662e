import { createHash } from 'node:crypto';

import { utils } from 'ssh2';

import type { KeyValueStore } from '../base/store';
import { ProductError } from '../errors/productError';

/** A host key as the server presented it. */
export interface PresentedHostKey {
  /** OpenSSH form: `SHA256:` + base64 without padding. */
  fingerprint: string;
  /** e.g. "ed25519", "ecdsa", "rsa". */
  type: string;
}

/** Key type names in the wire format, and the short names stored and shown (OpenSSH's `ssh-keygen -l` ones, lower case). */
const shortTypes: Record<string, string> = { 'ssh-ed25519': 'ed25519', 'ssh-rsa': 'rsa', 'ssh-dss': 'dsa', 'ssh-ed448': 'ed448' };

/**
 * Reads a host key in SSH wire format (what ssh2's hostVerifier receives), checked by ssh2's own key parser,
 * which the signature check later in the handshake uses too: a malformed key is refused before it could be
 * trusted. The fingerprint is the SHA-256 of the whole blob, as OpenSSH computes it.
 */
export function presentedHostKey(wireKey: Buffer): PresentedHostKey {
  const parsed = utils.parseKey(wireKey);
  if (parsed instanceof Error) throw parsed;
  const key = Array.isArray(parsed) ? parsed[0] : parsed;
  const type = shortTypes[key.type] ?? (key.type.startsWith('ecdsa-sha2-') ? 'ecdsa' : key.type);
  return { fingerprint: `SHA256:${createHash('sha256').update(wireKey).digest('base64').replace(/=+$/, '')}`, type };
}

/** What is stored per instance. */
export interface TrustedHostKey {
  fingerprint: string;
  type: string;
  /** ISO time of first use (or of "Trust New Key"). */
  trustedAt: string;
}

const storeKey = (instanceId: string) => `hostKey/${instanceId}`;

/**
 * Trust on first use, per instance id: the first key an instance presents is stored; later connections
 * must present the same one. Instance ids never repeat, so a changed key means new host keys on the same
 * instance (rebuilt or regenerated) or someone in the middle, and the user decides.
 */
export class HostKeyTrust {
  constructor(
    private readonly store: KeyValueStore,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get(instanceId: string): TrustedHostKey | undefined {
    return this.store.get<TrustedHostKey>(storeKey(instanceId));
  }

  async trust(instanceId: string, key: PresentedHostKey): Promise<void> {
    const entry: TrustedHostKey = { fingerprint: key.fingerprint, type: key.type, trustedAt: this.now().toISOString() };
    await this.store.update(storeKey(instanceId), entry);
  }

  /** Removes the stored key; true when there was one. */
  async forget(instanceId: string): Promise<boolean> {
    const had = this.get(instanceId) !== undefined;
    await this.store.update(storeKey(instanceId), undefined);
    return had;
  }

  /**
   * Accepts the key (storing it the first time) or throws ProductError('hostKeyChanged') carrying both
   * fingerprints. `who` names the instance in the message.
   */
  async verify(instanceId: string, who: string, key: PresentedHostKey): Promise<'first use' | 'known'> {
    const trusted = this.get(instanceId);
    if (!trusted) {
      await this.trust(instanceId, key);
      return 'first use';
    }
    if (trusted.fingerprint === key.fingerprint) return 'known';
    throw hostKeyChanged(instanceId, who, trusted, key);
  }
}

export function hostKeyChanged(instanceId: string, who: string, trusted: TrustedHostKey, presented: PresentedHostKey): ProductError {
  return new ProductError(
    'hostKeyChanged',
    `The host key of ${who} has changed since it was first trusted: it was ${trusted.fingerprint} (${trusted.type}), now it is ${presented.fingerprint} (${presented.type}). ` +
      'That happens when the instance was rebuilt or its host keys were regenerated, but it can also mean that someone is intercepting the connection, so the connection was stopped. ' +
      `If you expected the change, forget the stored key ("EC2: Forget Host Key…" in the editor, "ec2ic forget-host-key ${instanceId}" in a shell) and connect again.`,
    {
      instanceId,
      trustedFingerprint: trusted.fingerprint,
      trustedType: trusted.type,
      presentedFingerprint: presented.fingerprint,
      presentedType: presented.type,
    },
  );
}
