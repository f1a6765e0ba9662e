import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { type Sandbox, startSandbox } from '../../sandbox/index';

const run = promisify(execFile);
let sandbox: Sandbox;
let env: NodeJS.ProcessEnv;

before(async () => {
  sandbox = await startSandbox({ ssh: false });
  env = { ...process.env, ...sandbox.env, AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };
});
after(() => sandbox.stop());

function cli(...args: string[]) {
  return run(process.execPath, ['dist/cli.js', 'list', ...args], { env }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
  );
}

test('ec2ic list shows every instance of the regions asked for, with name, id, state and addresses', async () => {
  const regions = sandbox.manifest.regions;
  const { code, stdout, stderr } = await cli('--region', regions.join(','));
  assert.equal(code, 0, stderr);
  const lines = stdout.trim().split('\n');
  assert.match(lines[0], /^NAME\s+INSTANCE ID\s+STATE\s+TYPE\s+ZONE\s+PUBLIC IP\s+PRIVATE IP$/);
  for (const instance of sandbox.manifest.instances) {
    const line = lines.find((l) => l.includes(instance.instanceId));
    assert.ok(line, `${instance.name} is listed`);
    assert.match(line, new RegExp(`^${instance.name}\\s+${instance.instanceId}\\s+${instance.state}\\s`));
  }
  assert.equal(lines.length - 1, sandbox.manifest.instances.length);
});

test('--state and --json: only running instances, as JSON a script can read', async () => {
  const { code, stdout } = await cli('--region', sandbox.manifest.regions[0], '--state', 'running', '--json');
  assert.equal(code, 0);
  const listed = JSON.parse(stdout) as { instanceId: string; state: string; region: string }[];
  const expected = sandbox.manifest.instances.filter((i) => i.region === sandbox.manifest.regions[0] && i.state === 'running');
  assert.deepEqual(listed.map((i) => i.instanceId).sort(), expected.map((i) => i.instanceId).sort());
  assert.ok(listed.every((i) => i.state === 'running'));
});

test('a region that fails is reported on stderr and exits 1, without hiding the region that works', async () => {
  const [good, bad] = sandbox.manifest.regions;
  await sandbox.injectFault({ region: bad, error: 'UnauthorizedOperation' });
  try {
    const { code, stdout, stderr } = await cli('--region', `${good},${bad}`);
    assert.equal(code, 1);
    assert.match(stderr, new RegExp(`^ec2ic: .*${bad}.*ec2:DescribeInstances`, 'm'));
    assert.equal(stderr.trimEnd().split('\n').length, 1, `the failure once, and nothing else on stderr: ${stderr}`);
    assert.doesNotMatch(stderr, /\n\s+at /, 'no stack trace without --debug');
    for (const instance of sandbox.manifest.instances.filter((i) => i.region === good)) assert.match(stdout, new RegExp(instance.instanceId));
  } finally {
    await sandbox.clearFaults();
  }
});

test('no region anywhere: a clear message naming the ways to set one', async () => {
  const saved = env;
  env = { ...env, AWS_REGION: '', AWS_DEFAULT_REGION: '' };
  try {
    const { code, stderr } = await cli();
    assert.equal(code, 1);
    assert.match(stderr, /No region is set\. Pass --region, set AWS_REGION/);
  } finally {
    env = saved;
  }
});

test('a region named twice is listed once, in the order asked; a blank --region falls back to AWS_REGION', async () => {
  const [first, second] = sandbox.manifest.regions;
  const twice = await cli('--region', `${second},${first}, ${second}`, '--json');
  assert.equal(twice.code, 0, twice.stderr);
  const listed = JSON.parse(twice.stdout) as { instanceId: string; region: string }[];
  assert.equal(listed.length, sandbox.manifest.instances.length, 'each instance once');
  assert.deepEqual([...new Set(listed.map((i) => i.region))], [second, first], 'regions in the order asked');

  const blank = await cli('--region', ' ', '--json');
  assert.equal(blank.code, 0, blank.stderr);
  const inDefault = JSON.parse(blank.stdout) as { region: string }[];
  assert.ok(inDefault.length > 0 && inDefault.every((i) => i.region === sandbox.env.AWS_REGION), 'the region of AWS_REGION');
});
