import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { fromSso } from '@aws-sdk/token-providers';

import { type DeviceAuthorization, ssoCacheFile, ssoDeviceLogin } from '../../src/core/aws/ssoLogin';
import { isProductError } from '../../src/core/errors/productError';

// The SDK finds ~/.aws through HOME: this test gets a home of its own.
const home = mkdtempSync(join(tmpdir(), 'ec2ic-sso-'));
process.env.HOME = home;
process.env.AWS_CONFIG_FILE = join(home, '.aws', 'config');
process.env.AWS_SHARED_CREDENTIALS_FILE = join(home, '.aws', 'credentials');

/** A fake SSO OIDC service (restJson1): register, device authorization, then `pending` polls before the token. */
const oidc = { pending: 2, deny: false, registrations: 0, calls: [] as string[] };
const server = createServer(async (req: IncomingMessage, res) => {
  let body = '';
  for await (const chunk of req) body += chunk;
  const input = JSON.parse(body || '{}') as Record<string, string>;
  oidc.calls.push(req.url ?? '');
  const reply = (status: number, json: object, errorType?: string) => {
    res.writeHead(status, { 'content-type': 'application/json', ...(errorType ? { 'x-amzn-errortype': errorType } : {}) });
    res.end(JSON.stringify(json));
  };
  if (req.url === '/client/register') {
    oidc.registrations++;
    return reply(200, { clientId: 'client-1', clientSecret: 'secret-1', clientIdIssuedAt: 1, clientSecretExpiresAt: Math.floor(Date.now() / 1000) + 90 * 86400 });
  }
  if (req.url === '/device_authorization') {
    assert.equal(input.startUrl, 'https://corp.awsapps.com/start');
    return reply(200, { deviceCode: 'device-1', userCode: 'ABCD-EFGH', verificationUri: 'https://device.sso.us-east-1.amazonaws.com/', verificationUriComplete: 'https://device.sso.us-east-1.amazonaws.com/?user_code=ABCD-EFGH', expiresIn: 600, interval: 1 });
  }
  if (req.url === '/token') {
    assert.equal(input.grantType, 'urn:ietf:params:oauth:grant-type:device_code');
    if (oidc.deny) return reply(400, { error: 'access_denied', error_description: 'denied' }, 'AccessDeniedException');
    if (oidc.pending-- > 0) return reply(400, { error: 'authorization_pending', error_description: 'pending' }, 'AuthorizationPendingException');
    return reply(200, { accessToken: 'token-from-the-device-flow', tokenType: 'Bearer', expiresIn: 28800, refreshToken: 'refresh-1' });
  }
  reply(404, {});
});
let endpoint = '';

before(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  await mkdir(join(home, '.aws'), { recursive: true });
  await writeFile(
    process.env.AWS_CONFIG_FILE as string,
    '[profile corp]\nsso_session = corp\nsso_account_id = 111122223333\nsso_role_name = Admin\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
  );
});

after(() => server.close());

const sso = { session: 'corp', startUrl: 'https://corp.awsapps.com/start', region: 'us-east-1' };
const noWait = async () => undefined;

test('the device flow shows the code, waits for the browser, and writes the token where the SDK reads it', async () => {
  const shown: DeviceAuthorization[] = [];
  const result = await ssoDeviceLogin({ sso, endpoint, sleep: noWait, onAuthorization: (a) => shown.push(a) });
  assert.equal(shown[0].userCode, 'ABCD-EFGH');
  assert.match(shown[0].verificationUriComplete ?? '', /user_code=ABCD-EFGH/);
  assert.deepEqual(oidc.calls, ['/client/register', '/device_authorization', '/token', '/token', '/token']);
  assert.equal(result.cacheFile, join(home, '.aws', 'sso', 'cache', `${createHash('sha1').update('corp').digest('hex')}.json`));
  assert.equal(statSync(result.cacheFile).mode & 0o777, 0o600);
  assert.equal(statSync(join(home, '.aws', 'sso', 'cache')).mode & 0o777, 0o700);
  const cached = JSON.parse(readFileSync(result.cacheFile, 'utf8'));
  assert.equal(cached.startUrl, sso.startUrl);
  assert.match(cached.expiresAt, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

  // The SDK's own token provider for the profile now finds a valid token.
  const token = await fromSso({ profile: 'corp', ignoreCache: true })();
  assert.equal(token.token, 'token-from-the-device-flow');
});

test('signing in again reuses the client registration, and a denial in the browser says so', async () => {
  oidc.calls = [];
  oidc.deny = true;
  await assert.rejects(
    ssoDeviceLogin({ sso, endpoint, sleep: noWait, onAuthorization: () => undefined }),
    (err) => isProductError(err, 'configDeclined') && /denied in the browser/.test(err.message),
  );
  assert.deepEqual(oidc.calls, ['/device_authorization', '/token']);
  assert.equal(oidc.registrations, 1);
  oidc.deny = false;
});

test('legacy profiles are cached by start URL; a profile without start URL or region cannot sign in', async () => {
  assert.match(ssoCacheFile({ startUrl: 'https://legacy.awsapps.com/start' }), /\.aws\/sso\/cache\/[0-9a-f]{40}\.json$/);
  assert.notEqual(ssoCacheFile({ startUrl: 'https://legacy.awsapps.com/start' }), ssoCacheFile({ session: 'corp' }));
  await assert.rejects(ssoDeviceLogin({ sso: { session: 'x' }, endpoint, onAuthorization: () => undefined }), (err) => isProductError(err, 'unknownProfile'));
});

test('cancelling stops the polling', async () => {
  oidc.pending = 1000;
  const controller = new AbortController();
  const login = ssoDeviceLogin({ sso, endpoint, abortSignal: controller.signal, onAuthorization: () => setTimeout(() => controller.abort(), 50) });
  await assert.rejects(login, (err: Error) => err.name === 'AbortError');
  oidc.pending = 0;
});
