import type { Settings } from '../base/settings';
import type { KeyValueStore } from '../base/store';
import { ProductError } from '../errors/productError';
import type { PresentedHostKey } from './hostKeys';
// AWS's published table (EC2 User Guide, "EC2 Serial Console endpoints and fingerprints"), bundled into dist/core.js.
import published from './serial-console-endpoints.json';

const table: Record<string, { endpoint: string; fingerprint: string } | undefined> = published.regions;

export type SerialConsoleSettings = Settings['serialConsole'];

/** Where a region's serial console is, and which host key it must present. */
export interface SerialEndpoint {
  region: string;
  host: string;
  port: number;
  /** The expected `SHA256:` fingerprint; undefined = trust on first use (a region AWS has not published one for). */
  fingerprint?: string;
  /** Where the fingerprint comes from, for the log and the messages. */
  pinnedBy: 'published table' | 'setting' | 'first use';
  /** Why there is no fingerprint to check, with 'first use': another endpoint was set, or AWS publishes none for the region. */
  unpinnedBecause?: 'custom endpoint' | 'unpublished region';
}

const fingerprintShape = /^SHA256:[A-Za-z0-9+/]{43}$/;

/** OpenSSH's form of a fingerprint as users paste it: with or without the `SHA256:` prefix and `=` padding. */
export function normalizeFingerprint(text: string): string | undefined {
  const bare = text.trim().replace(/^SHA256:/i, '').replace(/=+$/, '');
  const full = `SHA256:${bare}`;
  return fingerprintShape.test(full) ? full : undefined;
}

/** The endpoint's name in a region AWS has not published (yet), following its naming for newer regions. */
function guessedHost(region: string): string {
  if (region.startsWith('cn-')) return `ec2-serial-console.${region}.api.amazonwebservices.com.cn`;
  if (region.startsWith('us-gov-')) return `serial-console.ec2-instance-connect.${region}.amazonaws.com`;
  return `ec2-serial-console.${region}.api.aws`;
}

/**
 * The serial console endpoint of a region: AWS's published endpoint and fingerprint, with the settings
 * overriding host, port and fingerprint (a proxy, a local test endpoint, a key AWS rotated after this release).
 */
export function serialEndpoint(region: string, settings: SerialConsoleSettings): SerialEndpoint {
  const entry = table[region];
  let fingerprint: string | undefined;
  if (settings.fingerprint) {
    fingerprint = normalizeFingerprint(settings.fingerprint);
    if (!fingerprint) {
      throw new ProductError(
        'badInput',
        `The setting ec2InstanceConnect.serialConsole.fingerprint ("${settings.fingerprint}") is not a SHA256 host key fingerprint. ` +
          'It looks like SHA256:dXwn5ma/xadVMeBZGEru5l2gx+yI5LDiJaLUcz0FMmw.',
      );
    }
  }
  const host = settings.endpoint || entry?.endpoint || guessedHost(region);
  // A custom endpoint is another server: the region's published key would not match it.
  const publishedFingerprint = settings.endpoint ? undefined : entry?.fingerprint;
  const expected = fingerprint ?? publishedFingerprint;
  const pinnedBy = fingerprint ? 'setting' : publishedFingerprint ? 'published table' : 'first use';
  return { region, host, port: settings.port, fingerprint: expected, pinnedBy, ...(expected ? {} : { unpinnedBecause: settings.endpoint ? 'custom endpoint' : 'unpublished region' }) };
}

/** The warning for a key trusted on first use, with the reason there was nothing to check it against. */
export function firstUseWarning(endpoint: SerialEndpoint, fingerprint: string): string {
  const why =
    endpoint.unpinnedBecause === 'custom endpoint'
      ? `the serial console endpoint was set to ${endpoint.host}:${endpoint.port} without a host key fingerprint to check it against`
      : `AWS publishes no host key fingerprint for the serial console of ${endpoint.region} that this version knows`;
  return `Warning: ${why}, so its key ${fingerprint} is trusted on first use and checked from now on.`;
}

/** Every region the published table covers. */
export function publishedRegions(): string[] {
  return Object.keys(table);
}

interface TrustedSerialKey {
  fingerprint: string;
  type: string;
  trustedAt: string;
}

const storeKey = (endpoint: Pick<SerialEndpoint, 'host' | 'port'>) => `serialConsoleHostKey/${endpoint.host}:${endpoint.port}`;

/** Forgets the key trusted on first use for a serial console endpoint; resolves its fingerprint, or undefined when none was stored. */
export async function forgetSerialHostKey(endpoint: Pick<SerialEndpoint, 'host' | 'port'>, store: KeyValueStore): Promise<string | undefined> {
  const trusted = store.get<TrustedSerialKey>(storeKey(endpoint));
  if (trusted) await store.update(storeKey(endpoint), undefined);
  return trusted?.fingerprint;
}

/**
 * Checks the serial console endpoint's host key: it must be the pinned one; without a pin (a region not in
 * the table) the first key seen is stored and later ones must match it. Resolves 'first use' when it
 * stored the key, so the caller can warn; throws ProductError('hostKeyMismatch') with both fingerprints.
 */
export async function verifySerialHostKey(
  endpoint: SerialEndpoint,
  key: PresentedHostKey,
  store: KeyValueStore,
  now: () => Date = () => new Date(),
): Promise<'pinned' | 'first use' | 'known'> {
  const where = `the EC2 serial console endpoint of ${endpoint.region} (${endpoint.host})`;
  if (endpoint.fingerprint) {
    if (key.fingerprint === endpoint.fingerprint) return 'pinned';
    throw mismatch(
      `${where} presented the host key ${key.fingerprint} (${key.type}), but the ${endpoint.pinnedBy === 'setting' ? 'setting ec2InstanceConnect.serialConsole.fingerprint expects' : 'fingerprint AWS publishes for it is'} ${endpoint.fingerprint}. ` +
        'Someone may be intercepting the connection, so it was stopped. If AWS has changed the key, put its new published fingerprint in the setting ec2InstanceConnect.serialConsole.fingerprint.',
      endpoint,
      key,
    );
  }
  const trusted = store.get<TrustedSerialKey>(storeKey(endpoint));
  if (!trusted) {
    await store.update(storeKey(endpoint), { fingerprint: key.fingerprint, type: key.type, trustedAt: now().toISOString() } satisfies TrustedSerialKey);
    return 'first use';
  }
  if (trusted.fingerprint === key.fingerprint) return 'known';
  throw mismatch(
    `${where} presented the host key ${key.fingerprint} (${key.type}), but it presented ${trusted.fingerprint} when it was first used. ` +
      'Someone may be intercepting the connection, so it was stopped. If the change is expected, put the fingerprint AWS publishes for this region in the setting ec2InstanceConnect.serialConsole.fingerprint.',
    endpoint,
    key,
    trusted.fingerprint,
  );
}

function mismatch(message: string, endpoint: SerialEndpoint, key: PresentedHostKey, expected = endpoint.fingerprint): ProductError {
  return new ProductError('hostKeyMismatch', message, {
    host: endpoint.host,
    port: endpoint.port,
    expectedFingerprint: expected,
    presentedFingerprint: key.fingerprint,
    presentedType: key.type,
  });
}
