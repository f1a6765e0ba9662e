import assert from 'node:assert/strict';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { AwsClients } from '../../src/core/aws/clients';
import { redact } from '../../src/core/base/log';

const saved = { ...process.env };
let dir: string;

/** A profile whose credentials come from a process that records each run: what an MFA prompt or SSO refresh would cost. */
async function countingProfile(name: string, options: { fail?: boolean; expiresInMinutes?: number } = {}): Promise<string> {
  const runs = join(dir, `${name}.runs`);
  const expiration = options.expiresInMinutes === undefined ? '' : `, Expiration: new Date(Date.now() + ${options.expiresInMinutes * 60_000}).toISOString()`;
  const script = join(dir, `${name}.js`);
  await writeFile(
    script,
    `require('fs').appendFileSync(${JSON.stringify(runs)}, 'x');\n` +
      (options.fail ? 'process.exit(3);\n' : `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAEXAMPLE', SecretAccessKey: 'secret'${expiration} }));\n`),
  );
  await writeFile(join(dir, 'config'), `[profile ${name}]\ncredential_process = ${process.execPath} ${script}\n`, { flag: 'a' });
  return runs;
}

const runsOf = async (file: string) => (await readFile(file, 'utf8').catch(() => '')).length;

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ec2ic-clients-'));
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
});

after(() => {
  process.env = saved;
});

test("a profile's credentials are resolved once for every region's client, and again after reset", async () => {
  const runs = await countingProfile('shared');
  const clients = new AwsClients();
  const regions = ['us-east-1', 'eu-west-1', 'ap-south-1'];
  const identities = await Promise.all(regions.map((region) => clients.ec2Client({ profile: 'shared', region }).config.credentials()));
  assert.deepEqual(identities.map((i) => i.accessKeyId), ['AKIAEXAMPLE', 'AKIAEXAMPLE', 'AKIAEXAMPLE']);
  await clients.instanceConnectClient({ profile: 'shared', region: 'us-east-1' }).config.credentials();
  assert.equal(await runsOf(runs), 1);
  clients.reset();
  await clients.ec2Client({ profile: 'shared', region: 'us-east-1' }).config.credentials();
  assert.equal(await runsOf(runs), 2);
});

test('credentials about to expire are fetched again; a failure is not kept', async () => {
  const expiring = await countingProfile('expiring', { expiresInMinutes: 2 });
  const clients = new AwsClients();
  await clients.credentialProvider('expiring')();
  await clients.credentialProvider('expiring')();
  assert.equal(await runsOf(expiring), 2, 'within the refresh margin');

  const failing = await countingProfile('failing', { fail: true });
  await assert.rejects(clients.credentialProvider('failing')());
  await assert.rejects(clients.credentialProvider('failing')());
  assert.equal(await runsOf(failing), 2);
});

test("once a profile's credentials are resolved, their secret key and session token are redacted wherever they are printed", async () => {
  const secret = 'c2VjcmV0QWNjZXNzS2V5T2ZUaGlzUHJvZmlsZTAx';
  const token = 'IQoJb3JpZ2luX2VjEAAaCXVzLWVhc3QtMSJHMEUCIQ/with+slash=';
  const script = join(dir, 'secretive.js');
  await writeFile(script, `console.log(JSON.stringify({ Version: 1, AccessKeyId: 'AKIAEXAMPLE', SecretAccessKey: '${secret}', SessionToken: '${token}' }));\n`);
  await writeFile(join(dir, 'config'), `[profile secretive]\ncredential_process = ${process.execPath} ${script}\n`, { flag: 'a' });
  const identity = await new AwsClients().credentialProvider('secretive')();
  assert.equal(identity.secretAccessKey, secret);
  const printed = redact(`signing with ${secret}, then GET /?X-Token-In-Url=${encodeURIComponent(token)} (session ${token})`);
  assert.equal(printed, 'signing with [redacted], then GET /?X-Token-In-Url=[redacted] (session [redacted])');
});
