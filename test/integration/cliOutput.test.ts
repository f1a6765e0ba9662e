import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { type Sandbox, startSandbox } from '../../sandbox';
import { instanceNamed } from '../../sandbox/test/helpers';

// The CLI as a user runs it from a shell: its stdout into a pipe a reader may close, its stderr read back whole.
let sandbox: Sandbox;
let work: string;
let env: NodeJS.ProcessEnv;

before(async () => {
  sandbox = await startSandbox({});
  work = await mkdtemp(join(tmpdir(), 'ec2ic-cli-output-'));
  env = { ...process.env, ...sandbox.env, HOME: work, XDG_CONFIG_HOME: join(work, 'config'), AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };
  delete env.AWS_PROFILE;
});
after(async () => {
  await sandbox?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** `node dist/cli.js …`, its stdout read until `closeAfter` says the reader has seen enough (then the pipe is closed, as `head` does). */
async function cli(args: string[], options: { env?: NodeJS.ProcessEnv; closeAfter?: (stdout: string) => boolean } = {}): Promise<Run> {
  const child = spawn(process.execPath, ['dist/cli.js', ...args], { env: options.env ?? env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (data: string) => (stderr += data));
  const { closeAfter } = options;
  if (closeAfter?.('')) child.stdout.destroy();
  else {
    child.stdout.setEncoding('utf8').on('data', (data: string) => {
      stdout += data;
      if (closeAfter?.(stdout)) child.stdout.destroy();
    });
  }
  const [code, signal] = (await once(child, 'close')) as [number | null, NodeJS.Signals | null];
  return { code, signal, stdout, stderr };
}

/** The status a shell reports for a writer killed by SIGPIPE (`ls | head`): 128 + 13. */
const closedPipeStatus = 141;

test('ec2ic list | head -0: a closed stdout ends ec2ic quietly, with the status of a writer killed by SIGPIPE', async () => {
  const result = await cli(['list', '--region', sandbox.manifest.regions.join(',')], { closeAfter: () => true });
  assert.doesNotMatch(result.stderr, /Unhandled|EPIPE|\n\s+at /, result.stderr);
  assert.equal(result.stderr, '');
  assert.equal(result.code, closedPipeStatus);
});

test('ec2ic ssh <id> -- yes | head -1: ec2ic ends quietly once the reader has its line', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const result = await cli(['ssh', web.instanceId, '--region', web.region, '--port', String(web.port), '--', 'yes'], { closeAfter: (out) => out.includes('\n') });
  assert.match(result.stdout, /^y\n/);
  assert.doesNotMatch(result.stderr, /Unhandled|EPIPE|\n\s+at /, result.stderr);
  assert.equal(result.stderr, '');
  assert.equal(result.code, closedPipeStatus);
});

test("ec2ic ssh with AWS CLI v2's names (--instance-id, --os-user, --ssh-port) logs in as that user; a name given twice is a usage error", async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const result = await cli(['ssh', '--instance-id', web.instanceId, '--os-user', 'fedora', '--ssh-port', String(web.port), '--region', web.region, '--', 'whoami']);
  assert.equal(result.stderr, '');
  assert.deepEqual([result.code, result.stdout], [0, 'fedora\n']);

  const twice = await cli(['ssh', '--instance-id', web.instanceId, web.instanceId, '--region', web.region, '--', 'true']);
  assert.equal(twice.code, 2);
  assert.match(twice.stderr, /name the instance once/);
  const both = await cli(['ssh', web.instanceId, '--os-user', 'fedora', '--user', 'ec2-user', '--region', web.region, '--', 'true']);
  assert.equal(both.code, 2);
  assert.match(both.stderr, /--os-user and --user are the same option/);
});

test('a region the account has not enabled: ec2ic ssh and list say the region may not be enabled and how to enable it, and still name the key', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  for (const args of [
    ['ssh', web.instanceId, '--region', 'ap-south-1', '--', 'true'],
    ['list', '--region', 'ap-south-1'],
  ]) {
    const { code, stderr } = await cli(args);
    assert.equal(code, 1, stderr);
    assert.match(stderr, /^ec2ic: Could not .* in ap-south-1: .*[Tt]he region ap-south-1 may not be enabled for the account/, args[0]);
    assert.match(stderr, /AWS console → Account → AWS Regions, or aws account enable-region --region-name ap-south-1/, args[0]);
    assert.match(stderr, /access key .* is mistyped, deactivated or deleted/, args[0]);
  }
});

test('--debug with a credential_process that prints secrets on stderr and fails: no secret leaves ec2ic, in the message, the log or the stack', async () => {
  const secrets = { json: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYJSONSECRET1', colon: 'ColonSecretValue0123456789abcdef', token: 'IQoJb3JpZ2luX2VjEJTokenValue0123456789' };
  const script = join(work, 'credentials.sh');
  await writeFile(
    script,
    [
      '#!/bin/sh',
      `echo '{"Version": 1, "AccessKeyId": "AKIAIOSFODNN7EXAMPLE", "SecretAccessKey": "${secrets.json}", "SessionToken": "${secrets.token}"}'`,
      `echo '{"SecretAccessKey":"${secrets.json}"}' >&2`,
      `echo 'secret: ${secrets.colon}' >&2`,
      `echo 'refreshed with token=${secrets.token}' >&2`,
      'exit 3',
      '',
    ].join('\n'),
  );
  await chmod(script, 0o700);
  const config = join(work, 'aws-config');
  await writeFile(config, `[profile p]\ncredential_process = ${script}\n`);
  const { code, stdout, stderr } = await cli(['ssh', 'i-0123456789abcdef0', '--profile', 'p', '--region', 'us-east-1', '--debug', '--', 'true'], {
    env: { ...env, AWS_CONFIG_FILE: config, AWS_ACCESS_KEY_ID: '', AWS_SECRET_ACCESS_KEY: '' },
  });
  assert.equal(code, 1, stderr);
  assert.match(stderr, /^ec2ic: Could not connect to i-0123456789abcdef0 in us-east-1: the credential_process of profile "p" failed: .*credentials\.sh/m);
  assert.match(stderr, /\n\s+at /, 'the stack is shown with --debug');
  for (const [what, secret] of Object.entries(secrets)) {
    assert.ok(!stderr.includes(secret), `the ${what} secret is not on stderr:\n${stderr}`);
    assert.ok(!stdout.includes(secret), `the ${what} secret is not on stdout`);
  }
});
