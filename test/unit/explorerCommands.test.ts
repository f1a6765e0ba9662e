import assert from 'node:assert/strict';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import type { AwsProfile } from '../../src/core/aws/profiles';
import { isProductError } from '../../src/core/errors/productError';
import { copyIpAddress } from '../../src/editor/commands/copyIpAddress';
import { openAwsConfig } from '../../src/editor/commands/openAwsConfig';
import { signIn } from '../../src/editor/commands/signIn';
import { stopInstance } from '../../src/editor/commands/stopInstance';
import { FakeBackend } from '../fakes/fakeBackend';
import { fakeServices } from '../fakes/fakeServices';
import { instance } from '../fakes/sdkInstances';

const row = (overrides: Parameters<typeof instance>[0] = {}) => ({ kind: 'instance' as const, instance: instance(overrides, { profile: 'dev', region: 'us-east-1' }) });
const dev: AwsProfile = { name: 'dev', label: 'dev', region: 'us-east-1', source: 'static' };

test('Stop asks first (modal), does nothing when the user declines, and shows the instance stopping everywhere at once', async () => {
  const stopped: string[] = [];
  const backend = new FakeBackend([dev], { 'dev/us-east-1': { pages: [[row().instance]] } });
  const { services, ui } = fakeServices({ backend, core: { stopInstance: async (_c: unknown, id: string) => void stopped.push(id) } as never, aws: { ec2Client: () => ({}) } });
  await services.inventory.ensureLoaded();
  await services.inventory.settled();
  const changes: string[] = [];
  services.inventory.onDidChange((change) => changes.push(change.scope));
  ui.messageAnswers.push(undefined);
  await assert.rejects(stopInstance.run(services, row()) as Promise<unknown>, (err) => isProductError(err, 'cancelled'));
  assert.deepEqual(stopped, []);
  assert.equal(ui.messages[0].modal, true);
  assert.match(ui.messages[0].message, /^Stop web-1 \(i-0123456789abcdef0\)\?$/);

  ui.messageAnswers.push('Stop');
  await stopInstance.run(services, row());
  assert.deepEqual(stopped, ['i-0123456789abcdef0']);
  // The inventory is what the tree, the picker and the other commands read: all of them see it stopping now.
  assert.deepEqual(services.inventory.instances().map((i) => i.state), ['stopping']);
  assert.deepEqual(changes, ['region']);
  assert.deepEqual(services.inventory.transitional(), [{ target: { profile: 'dev', region: 'us-east-1' }, instanceIds: ['i-0123456789abcdef0'] }], 'and polled from there');
});

test('Copy IP Address copies the only address, or asks which one when there are several', async () => {
  const { services, ui } = fakeServices();
  await copyIpAddress.run(services, row({ PublicIpAddress: undefined }));
  assert.deepEqual(ui.clipboard, ['10.0.1.10']);
  ui.pickAnswers.push((labels) => labels[0]);
  await copyIpAddress.run(services, row());
  assert.deepEqual(ui.picks[0].labels, ['203.0.113.10', '10.0.1.10']);
  assert.deepEqual(ui.clipboard, ['10.0.1.10', '203.0.113.10']);
  await assert.rejects(
    copyIpAddress.run(services, row({ PublicIpAddress: undefined, PrivateIpAddress: undefined, State: { Name: 'stopped' } })) as Promise<unknown>,
    (err) => isProductError(err, 'noAddress') && /has no IP address \(it is stopped\)/.test(err.message),
  );
});

test('Open AWS Config File creates a commented template (0600) when missing, and never overwrites one', async () => {
  const home = await mkdtemp(join(tmpdir(), 'ec2ic-cfg-'));
  const path = join(home, 'aws', 'config');
  process.env.AWS_CONFIG_FILE = path;
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, 'aws', 'credentials');
  const { services, ui } = fakeServices();
  await openAwsConfig.run(services);
  assert.deepEqual(ui.opened, [path]);
  const text = await readFile(path, 'utf8');
  assert.ok(text.split('\n').every((line) => line === '' || line.startsWith('#')), 'every line of the template is a comment');
  assert.match(text, /sso_start_url/);
  assert.equal((await stat(path)).mode & 0o777, 0o600);
  await writeFile(path, '[profile mine]\n');
  await openAwsConfig.run(services);
  assert.equal(await readFile(path, 'utf8'), '[profile mine]\n');
  // On a profile whose keys were rejected, the credentials file (where keys live) opens when it exists.
  await writeFile(join(home, 'aws', 'credentials'), '[mine]\n');
  await openAwsConfig.run(services, { kind: 'profileError', problem: 'credentials' });
  assert.equal(ui.opened.at(-1), join(home, 'aws', 'credentials'));
});

test('Sign In on an expired SSO profile runs the device flow: the code with Open Browser, then a refresh', async () => {
  const logins: unknown[] = [];
  let refreshed = 0;
  const core = {
    ssoDeviceLogin: async (options: { sso: unknown; onAuthorization(a: object): void }) => {
      logins.push(options.sso);
      options.onAuthorization({ userCode: 'ABCD-EFGH', verificationUri: 'https://device.sso/', verificationUriComplete: 'https://device.sso/?user_code=ABCD-EFGH', expiresInSeconds: 600 });
      return { cacheFile: '/x', expiresAt: '2030-01-01T00:00:00Z' };
    },
  };
  let resets = 0;
  const { services, ui } = fakeServices({ core: core as never, aws: { reset: () => void resets++ } });
  Object.assign(services.inventory, { refresh: async () => void refreshed++ });
  ui.messageAnswers.push('Open Browser');
  const profile = { name: 'corp-admin', label: 'corp-admin', source: 'sso' as const, sso: { session: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1' } };
  await signIn.run(services, { kind: 'profileError', profile, problem: 'signIn', message: 'expired' });
  await new Promise((resolve) => setImmediate(resolve));
  assert.deepEqual(logins, [profile.sso]);
  assert.match(ui.messages[0].message, /confirm that it shows the code ABCD-EFGH/);
  assert.deepEqual(ui.opened, ['https://device.sso/?user_code=ABCD-EFGH']);
  assert.equal(resets, 1);
  assert.equal(refreshed, 1);
  assert.match(ui.messages[1].message, /Signed in: profile "corp-admin" works again/);
});

test('a failed SSO sign-in explains and offers the AWS CLI command as the way out', async () => {
  const core = { ssoDeviceLogin: async () => Promise.reject(Object.assign(new Error('getaddrinfo ENOTFOUND oidc.us-east-1.amazonaws.com'), { code: 'ENOTFOUND' })) };
  const { services, ui } = fakeServices({ core: core as never });
  ui.messageAnswers.push('Copy Command');
  const profile = { name: 'corp-admin', label: 'corp-admin', source: 'sso' as const, sso: { session: 'corp' } };
  await signIn.run(services, { kind: 'profileError', profile, problem: 'signIn', message: 'expired' });
  assert.match(ui.messages[0].message, /^Could not sign in with profile "corp-admin": the name of the AWS endpoint oidc\.us-east-1\.amazonaws\.com could not be looked up \(ENOTFOUND\)\./);
  assert.deepEqual(ui.messages[0].actions, ['Retry', 'Copy Command', 'Show Log']);
  assert.deepEqual(ui.clipboard, ['aws sso login --profile corp-admin']);
});
