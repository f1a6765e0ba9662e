import assert from 'node:assert/strict';
import { test } from 'node:test';

import { connectionTypeOf } from '../../src/core/base/settings';
import { isProductError } from '../../src/core/errors/productError';
import { planRoute } from '../../src/core/transport/address';

const base = { instanceId: 'i-0123456789abcdef0', name: 'web', region: 'eu-west-1' };
const all = { ...base, publicIpv4: '203.0.113.10', publicIpv6: '2001:db8::10', privateIpv4: '10.0.0.10' };
const privateOnly = { ...base, privateIpv4: '10.0.0.10' };
const v6 = { ...base, publicIpv6: '2001:db8::10', privateIpv4: '10.0.0.10' };
const v6Only = { ...base, publicIpv6: '2001:db8::10' };

const direct = (host: string, addressKind: string) => ({ kind: 'direct', host, addressKind });
const eice = { kind: 'eice', privateIp: '10.0.0.10', addressKind: 'private IPv4' };

test('auto is AWS CLI v2\'s rule: public IPv4 straight, else the private address through an endpoint, else IPv6', () => {
  assert.deepEqual(planRoute(all, 'auto'), direct('203.0.113.10', 'public IPv4'));
  assert.deepEqual(planRoute(privateOnly, 'auto'), eice);
  assert.deepEqual(planRoute(v6, 'auto'), eice, 'a private IPv4 address comes before IPv6, as in the CLI');
  assert.deepEqual(planRoute(v6Only, 'auto'), direct('2001:db8::10', 'public IPv6'));
});

test('direct: public IPv4, else IPv6, else the private address, always straight', () => {
  assert.deepEqual(planRoute(all, 'direct'), direct('203.0.113.10', 'public IPv4'));
  assert.deepEqual(planRoute(v6, 'direct'), direct('2001:db8::10', 'public IPv6'));
  assert.deepEqual(planRoute(privateOnly, 'direct'), direct('10.0.0.10', 'private IPv4'));
});

test('privateAddress goes straight to the private address, even when there is a public one; eice always through the endpoint', () => {
  assert.deepEqual(planRoute(all, 'privateAddress'), direct('10.0.0.10', 'private IPv4'));
  assert.deepEqual(planRoute(all, 'eice'), eice);
});

test('the old usePrivateAddress setting means the same as before', () => {
  assert.equal(connectionTypeOf('never'), 'auto');
  assert.equal(connectionTypeOf('whenNoPublicAddress'), 'direct');
  assert.equal(connectionTypeOf('always'), 'privateAddress');
  // whenNoPublicAddress on a private instance: straight to its private address, as it did.
  assert.deepEqual(planRoute(privateOnly, connectionTypeOf('whenNoPublicAddress')), direct('10.0.0.10', 'private IPv4'));
});

test('nothing to connect to: a noAddress error that names the instance and what to change', () => {
  assert.throws(
    () => planRoute(base, 'auto'),
    (err: unknown) => isProductError(err, 'noAddress') && /web \(i-0123456789abcdef0\) in eu-west-1 has no IP address/.test(err.message),
  );
  assert.throws(
    () => planRoute(v6Only, 'eice'),
    (err: unknown) => isProductError(err, 'noAddress') && /no private IPv4 address/.test(err.message) && /Choose Connection Type/.test(err.message),
  );
  assert.throws(() => planRoute(v6Only, 'privateAddress'), (err: unknown) => isProductError(err, 'noAddress') && /straight to its private address/.test(err.message));
});
