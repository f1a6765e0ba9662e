import assert from 'node:assert/strict';
import { test } from 'node:test';

import { isProductError } from '../../src/core/errors/productError';
import { chooseAddress } from '../../src/core/transport/address';

const base = { instanceId: 'i-0123456789abcdef0', name: 'web', region: 'eu-west-1' };
const all = { ...base, publicIpv4: '203.0.113.10', publicIpv6: '2001:db8::10', privateIpv4: '10.0.0.10' };

test('public IPv4 first, whatever the setting allows besides', () => {
  assert.deepEqual(chooseAddress(all, 'never'), { host: '203.0.113.10', kind: 'public IPv4' });
  assert.deepEqual(chooseAddress(all, 'whenNoPublicAddress'), { host: '203.0.113.10', kind: 'public IPv4' });
});

test('public IPv6 when there is no public IPv4', () => {
  const v6 = { ...base, publicIpv6: '2001:db8::10', privateIpv4: '10.0.0.10' };
  assert.deepEqual(chooseAddress(v6, 'never'), { host: '2001:db8::10', kind: 'public IPv6' });
  assert.deepEqual(chooseAddress(v6, 'whenNoPublicAddress'), { host: '2001:db8::10', kind: 'public IPv6' });
});

test('the private address only when the setting says it is reachable', () => {
  const privateOnly = { ...base, privateIpv4: '10.0.0.10' };
  assert.deepEqual(chooseAddress(privateOnly, 'whenNoPublicAddress'), { host: '10.0.0.10', kind: 'private IPv4' });
  assert.deepEqual(chooseAddress(privateOnly, 'always'), { host: '10.0.0.10', kind: 'private IPv4' });
  assert.deepEqual(chooseAddress(all, 'always'), { host: '10.0.0.10', kind: 'private IPv4' }, 'always prefers it over a public one');
});

test('no usable address: a noAddress error that names the instance, the setting, security groups and endpoints', () => {
  const privateOnly = { ...base, privateIpv4: '10.0.0.10' };
  assert.throws(
    () => chooseAddress(privateOnly, 'never'),
    (err: unknown) => {
      assert.ok(isProductError(err, 'noAddress'));
      assert.match(err.message, /web \(i-0123456789abcdef0\) in eu-west-1/);
      assert.match(err.message, /10\.0\.0\.10/);
      assert.match(err.message, /usePrivateAddress/);
      assert.match(err.message, /security group/);
      assert.match(err.message, /EC2 Instance Connect Endpoint/);
      return true;
    },
  );
  assert.throws(() => chooseAddress(base, 'whenNoPublicAddress'), (err: unknown) => isProductError(err, 'noAddress'));
  assert.throws(
    () => chooseAddress({ ...base, publicIpv4: '203.0.113.10' }, 'always'),
    (err: unknown) => isProductError(err, 'noAddress') && /"always"/.test(err.message),
  );
});
