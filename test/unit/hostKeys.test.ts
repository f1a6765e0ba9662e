import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';

import { utils } from 'ssh2';

import { MemoryStore } from '../../src/core/base/store';
import { isProductError } from '../../src/core/errors/productError';
import { HostKeyTrust, presentedHostKey } from '../../src/core/ssh/hostKeys';
import { ed25519Pair } from '../fakes/keys';

function wireKey(type: 'ed25519' | 'rsa' = 'ed25519'): Buffer {
  const pair = type === 'rsa' ? utils.generateKeyPairSync('rsa', { bits: 2048 }) : ed25519Pair();
  return Buffer.from(pair.public.split(' ')[1], 'base64');
}

test("fingerprints are OpenSSH's SHA256 form", () => {
  const key = wireKey();
  const expected = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
  assert.deepEqual(presentedHostKey(key), { fingerprint: expected, type: 'ed25519' });
  assert.equal(presentedHostKey(wireKey('rsa')).type, 'rsa');
});

test('trust on first use: the first key is stored, the same key passes again', async () => {
  const store = new MemoryStore();
  const trust = new HostKeyTrust(store, () => new Date('2025-01-02T03:04:05Z'));
  const key = presentedHostKey(wireKey());
  assert.equal(await trust.verify('i-0123456789abcdef0', 'web', key), 'first use');
  assert.deepEqual(trust.get('i-0123456789abcdef0'), { fingerprint: key.fingerprint, type: 'ed25519', trustedAt: '2025-01-02T03:04:05.000Z' });
  assert.equal(await new HostKeyTrust(store).verify('i-0123456789abcdef0', 'web', key), 'known');
});

test('a changed key is refused with both fingerprints; trusting the new one or forgetting lets it through', async () => {
  const store = new MemoryStore();
  const trust = new HostKeyTrust(store);
  const old = presentedHostKey(wireKey());
  const changed = presentedHostKey(wireKey());
  await trust.verify('i-0123456789abcdef0', 'web (i-0123456789abcdef0) in us-east-1', old);
  await assert.rejects(trust.verify('i-0123456789abcdef0', 'web (i-0123456789abcdef0) in us-east-1', changed), (err: unknown) => {
    assert.ok(isProductError(err, 'hostKeyChanged'));
    assert.ok(err.message.includes(old.fingerprint) && err.message.includes(changed.fingerprint));
    assert.match(err.message, /web \(i-0123456789abcdef0\) in us-east-1/);
    assert.equal(err.facts.trustedFingerprint, old.fingerprint);
    assert.equal(err.facts.presentedFingerprint, changed.fingerprint);
    return true;
  });
  assert.equal(trust.get('i-0123456789abcdef0')?.fingerprint, old.fingerprint, 'a refused key is not stored');

  await trust.trust('i-0123456789abcdef0', changed);
  assert.equal(await trust.verify('i-0123456789abcdef0', 'web', changed), 'known');

  assert.equal(await trust.forget('i-0123456789abcdef0'), true);
  assert.equal(await trust.forget('i-0123456789abcdef0'), false);
  assert.equal(await trust.verify('i-0123456789abcdef0', 'web', old), 'first use');
});

test('keys are kept per instance', async () => {
  const trust = new HostKeyTrust(new MemoryStore());
  await trust.verify('i-0000000000000000a', 'a', presentedHostKey(wireKey()));
  assert.equal(await trust.verify('i-0000000000000000b', 'b', presentedHostKey(wireKey())), 'first use');
});

test('host keys of every type OpenSSH serves are named as ssh-keygen names them, and a malformed key is refused', () => {
  const ecdsa = utils.generateKeyPairSync('ecdsa', { bits: 256 });
  assert.equal(presentedHostKey(Buffer.from(ecdsa.public.split(' ')[1], 'base64')).type, 'ecdsa');
  const truncated = wireKey().subarray(0, 20);
  assert.throws(() => presentedHostKey(truncated));
  assert.throws(() => presentedHostKey(Buffer.from('not a key')));
});
