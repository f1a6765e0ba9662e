import assert from 'node:assert/strict';
import { test } from 'node:test';

import { defaultSettings } from '../../src/core/base/settings';
import { MemoryStore } from '../../src/core/base/store';
import { isProductError } from '../../src/core/errors/productError';
import { normalizeFingerprint, publishedRegions, serialEndpoint, verifySerialHostKey } from '../../src/core/ssh/serialEndpoint';

const none = defaultSettings.serialConsole;
const key = (fingerprint: string) => ({ fingerprint, type: 'ed25519' });
const usEast1 = 'SHA256:dXwn5ma/xadVMeBZGEru5l2gx+yI5LDiJaLUcz0FMmw';
const other = 'SHA256:0lH5jEA3TRMLge0dCwlMuYie2WoVOfgrPjdrw9w+Cm0';

test('the shipped table: every region AWS publishes, each with its endpoint and a well-formed fingerprint', () => {
  assert.equal(publishedRegions().length, 38);
  for (const region of publishedRegions()) {
    const endpoint = serialEndpoint(region, none);
    assert.equal(endpoint.pinnedBy, 'published table', region);
    assert.equal(normalizeFingerprint(endpoint.fingerprint ?? ''), endpoint.fingerprint, region);
    assert.match(endpoint.host, /^(serial-console\.ec2-instance-connect|ec2-serial-console)\.[a-z0-9-]+\.(aws|api\.aws|amazonaws\.com|api\.amazonwebservices\.com\.cn)$/, region);
  }
  assert.equal(serialEndpoint('us-west-2', none).fingerprint, 'SHA256:EMCIe23TqKaBI6yGHainqZcMwqNkDhhAVHa1O2JxVUc');
});

test('a region resolves to its published endpoint and fingerprint, port 22', () => {
  assert.deepEqual(serialEndpoint('us-east-1', none), {
    region: 'us-east-1',
    host: 'serial-console.ec2-instance-connect.us-east-1.aws',
    port: 22,
    fingerprint: usEast1,
    pinnedBy: 'published table',
  });
  assert.equal(serialEndpoint('il-central-1', none).host, 'ec2-serial-console.il-central-1.api.aws');
  assert.equal(serialEndpoint('cn-north-1', none).host, 'ec2-serial-console.cn-north-1.api.amazonwebservices.com.cn');
});

test('a region not in the table: the endpoint by AWS naming for new regions, and trust on first use', () => {
  const endpoint = serialEndpoint('xx-future-1', none);
  assert.equal(endpoint.host, 'ec2-serial-console.xx-future-1.api.aws');
  assert.equal(endpoint.fingerprint, undefined);
  assert.equal(endpoint.pinnedBy, 'first use');
  assert.equal(endpoint.unpinnedBecause, 'unpublished region');
});

test('the settings override endpoint, port and fingerprint; a custom endpoint alone is trusted on first use', () => {
  const custom = serialEndpoint('us-east-1', { endpoint: '127.0.0.1', port: 2222, fingerprint: '' });
  assert.deepEqual(custom, { region: 'us-east-1', host: '127.0.0.1', port: 2222, fingerprint: undefined, pinnedBy: 'first use', unpinnedBecause: 'custom endpoint' });
  const pinned = serialEndpoint('us-east-1', { endpoint: '127.0.0.1', port: 2222, fingerprint: ` ${other.slice('SHA256:'.length)}= ` });
  assert.equal(pinned.fingerprint, other, 'pasted without the prefix and with padding');
  assert.equal(pinned.pinnedBy, 'setting');
  assert.equal(serialEndpoint('us-east-1', { ...none, fingerprint: other }).fingerprint, other, 'a rotated key before an update');
  assert.throws(
    () => serialEndpoint('us-east-1', { ...none, fingerprint: 'MD5:12:34' }),
    (err) => isProductError(err, 'badInput') && /ec2InstanceConnect\.serialConsole\.fingerprint \("MD5:12:34"\) is not a SHA256 host key fingerprint/.test(err.message),
  );
});

test('a pinned key must match: a different one is refused with both fingerprints', async () => {
  const store = new MemoryStore();
  const endpoint = serialEndpoint('us-east-1', none);
  assert.equal(await verifySerialHostKey(endpoint, key(usEast1), store), 'pinned');
  await assert.rejects(verifySerialHostKey(endpoint, key(other), store), (err) => {
    assert.ok(isProductError(err, 'hostKeyMismatch'));
    assert.match(err.message, new RegExp(`presented the host key ${other.replace(/[+/]/g, '\\$&')} \\(ed25519\\), but the fingerprint AWS publishes for it is ${usEast1.replace(/[+/]/g, '\\$&')}`));
    assert.equal(err.facts.expectedFingerprint, usEast1);
    assert.equal(err.facts.presentedFingerprint, other);
    return true;
  });
});

test('trust on first use: the first key is kept, a later different one is refused', async () => {
  const store = new MemoryStore();
  const endpoint = serialEndpoint('xx-future-1', none);
  assert.equal(await verifySerialHostKey(endpoint, key(other), store), 'first use');
  assert.equal(await verifySerialHostKey(endpoint, key(other), store), 'known');
  await assert.rejects(
    verifySerialHostKey(endpoint, key(usEast1), store),
    (err) => isProductError(err, 'hostKeyMismatch') && err.message.includes(`but it presented ${other} when it was first used`),
  );
});
