import assert from 'node:assert/strict';
import { test } from 'node:test';

import { redact } from '../../src/core/base/log';
import { presignTunnelUrl, type TunnelTarget } from '../../src/core/eice/presign';
import { openTunnel } from '../../src/core/eice/tunnel';
import { recordingLog } from '../fakes/recordingLog';

/** AWS CLI v2's own vector (tests/functional/ec2instanceconnect/test_opentunnel.py, single connection mode). */
const cliTarget: TunnelTarget = {
  dnsName: 'eice-123.ec2-instance-connect-endpoint.us-west-2.amazonaws.com',
  endpointId: 'eice-123',
  region: 'us-west-2',
  privateIp: '10.0.0.0',
  remotePort: 22,
  maxTunnelDurationSeconds: 1,
};
const cliTime = new Date('2020-01-01T01:01:01Z');

test("the URL is AWS CLI v2's, signature and all, for its test vector", async () => {
  const url = await presignTunnelUrl(cliTarget, { accessKeyId: 'access_key', secretAccessKey: 'secret_key' }, cliTime);
  assert.equal(
    url,
    'wss://eice-123.ec2-instance-connect-endpoint.us-west-2.amazonaws.com/openTunnel?' +
      'instanceConnectEndpointId=eice-123&remotePort=22&privateIpAddress=10.0.0.0&maxTunnelDuration=1&' +
      'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=access_key%2F20200101%2Fus-west-2%2Fec2-instance-connect%2Faws4_request&' +
      'X-Amz-Date=20200101T010101Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host&' +
      'X-Amz-Signature=3a56740422a5b9aebd22d860b7a30c729e459a6f71a83bc0de3a2b44b7353f28',
  );
});

test('without a maximum duration the query leaves it out', async () => {
  const url = new URL(await presignTunnelUrl({ ...cliTarget, maxTunnelDurationSeconds: undefined }, { accessKeyId: 'access_key', secretAccessKey: 'secret_key' }, cliTime));
  assert.equal(url.searchParams.get('maxTunnelDuration'), null);
  assert.equal(url.searchParams.get('X-Amz-Expires'), '60');
});

test('temporary credentials add X-Amz-Security-Token, which is signed too', async () => {
  const withToken = new URL(await presignTunnelUrl(cliTarget, { accessKeyId: 'access_key', secretAccessKey: 'secret_key', sessionToken: 'session/token+=' }, cliTime));
  assert.equal(withToken.searchParams.get('X-Amz-Security-Token'), 'session/token+=');
  assert.match(withToken.search, /X-Amz-Security-Token=session%2Ftoken%2B%3D/);
  assert.notEqual(withToken.searchParams.get('X-Amz-Signature'), '3a56740422a5b9aebd22d860b7a30c729e459a6f71a83bc0de3a2b44b7353f28');
  assert.equal(withToken.searchParams.get('X-Amz-SignedHeaders'), 'host');
});

test('an IPv6 private address is encoded in the query', async () => {
  const url = await presignTunnelUrl({ ...cliTarget, privateIp: '2600:1f10::1c27' }, { accessKeyId: 'access_key', secretAccessKey: 'secret_key' }, cliTime);
  assert.match(url, /privateIpAddress=2600%3A1f10%3A%3A1c27&/);
});

test('no secret reaches a log line: not the secret key, the session token, the signature or the query', async () => {
  const log = recordingLog();
  const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'FQoGZXIvYXdzEXAMPLETOKEN' };
  // Sockets are refused here: the open fails after what it logs on the way.
  await openTunnel({ target: cliTarget, credentials: async () => credentials, who: 'web (i-0123456789abcdef0) in us-west-2', timeoutSeconds: 1, log, env: {} }).then(
    (stream) => stream.destroy(),
    () => undefined,
  );
  assert.ok(log.lines.length > 0);
  const text = log.lines.join('\n');
  assert.match(text, /eice-123\.ec2-instance-connect-endpoint\.us-west-2\.amazonaws\.com/);
  for (const secret of [credentials.secretAccessKey, credentials.sessionToken, 'X-Amz-', 'openTunnel?']) assert.ok(!text.includes(secret), `${secret} in the log`);
  // And were the URL ever quoted, the logger would take its secrets out.
  const url = await presignTunnelUrl(cliTarget, credentials, cliTime);
  const redacted = redact(`GET ${url}`);
  assert.ok(!redacted.includes(credentials.sessionToken) && !redacted.includes(new URL(url).searchParams.get('X-Amz-Signature') ?? ''));
});
