import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { parseCommandLine, UsageError, wholeNumberOption } from '../../src/cli/args';
import { sshCommand } from '../../src/cli/ssh';

const ssh = { options: { user: { type: 'string' as const }, port: { type: 'string' as const } }, rest: true };

test('a command line parses into positionals, options and the command after --', () => {
  const args = parseCommandLine(['i-0123456789abcdef0', '--user', 'ubuntu', '--region=eu-west-1', '--debug', '--', 'ls', '--user', '-la'], ssh);
  assert.deepEqual(args.positionals, ['i-0123456789abcdef0']);
  assert.deepEqual(args.options, { user: 'ubuntu', region: 'eu-west-1', debug: true });
  assert.deepEqual(args.rest, ['ls', '--user', '-la']);
});

test('an unknown or misspelled option, a missing value, a value for a flag or an extra argument is a usage error naming it', () => {
  const problem = (argv: string[], spec: Parameters<typeof parseCommandLine>[1] = ssh) => {
    try {
      parseCommandLine(argv, spec);
    } catch (err) {
      assert.ok(err instanceof UsageError);
      return err.message;
    }
    return assert.fail(`accepted ${argv.join(' ')}`);
  };
  assert.equal(problem(['i-0123456789abcdef0', '--usr', 'root']), 'unknown option --usr (did you mean --user?)');
  assert.equal(problem(['--stat', 'running'], { options: { state: { type: 'string' } }, positionals: 0 }), 'unknown option --stat (did you mean --state?)');
  assert.equal(problem(['i-0123456789abcdef0', '--bogus']), 'unknown option --bogus');
  assert.equal(problem(['i-0123456789abcdef0', '--user']), '--user needs a value');
  assert.equal(problem(['i-0123456789abcdef0', '--user', '--region', 'x']), '--user needs a value');
  assert.equal(problem(['i-0123456789abcdef0', '--debug=yes']), '--debug takes no value');
  assert.equal(problem(['i-0123456789abcdef0', 'i-0fedcba9876543210']), 'unexpected argument "i-0fedcba9876543210" (a command to run goes after --)');
  assert.equal(problem(['i-0123456789abcdef0', '--', 'uptime'], {}), 'unexpected arguments after --: uptime');
});

test("AWS CLI v2's names stand for ours: --instance-id for the id, --os-user, --ssh-port, --local-forwarding (repeatable)", () => {
  const spec = sshCommand.commandLine ?? assert.fail('ssh has a command line');
  const args = parseCommandLine(
    ['--instance-id', 'i-0123456789abcdef0', '--os-user', 'ubuntu', '--ssh-port', '2222', '--local-forwarding', '8080:localhost:80', '-L', '9090:localhost:90'],
    spec,
  );
  assert.deepEqual(args.positionals, ['i-0123456789abcdef0']);
  assert.deepEqual(args.options, { user: 'ubuntu', port: '2222', 'local-forward': ['8080:localhost:80', '9090:localhost:90'] });
  assert.throws(() => parseCommandLine(['i-1', '--ssh-port', '22', '--port', '22'], spec), /--ssh-port and --port are the same option/);
  assert.throws(() => parseCommandLine(['--os-usr', 'x'], spec), /unknown option --os-usr \(did you mean --os-user\?\)/);
});

test('ec2ic exits with status 2 and names the option, before reaching AWS', async () => {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  const failure = await promisify(execFile)(process.execPath, [cli, 'ssh', 'i-0123456789abcdef0', '--usr', 'root', '--', 'id', '-un']).then(
    () => assert.fail('ec2ic accepted --usr'),
    (err: { code: number; stderr: string }) => err,
  );
  assert.equal(failure.code, 2);
  assert.equal(failure.stderr, "ec2ic ssh: unknown option --usr (did you mean --user?). Run 'ec2ic ssh --help' for its options.\n");
});

test('ec2ic list checks --state before asking AWS anything: a state that does not exist is a usage error', async () => {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  const failure = await promisify(execFile)(process.execPath, [cli, 'list', '--state', 'bogus']).then(
    () => assert.fail('ec2ic accepted --state bogus'),
    (err: { code: number; stderr: string }) => err,
  );
  assert.equal(failure.code, 2);
  assert.match(failure.stderr, /^ec2ic list: --state "bogus" is not an instance state: use one of pending, running, shutting-down, terminated, stopping, stopped\./);
});

test('a whole-number option takes digits in its range only; anything else is a usage error naming the option, the value and the range', () => {
  const port = (value: string) => wholeNumberOption(parseCommandLine(['i-1', `--port=${value}`], ssh), 'port', 1, 65535, 'a port');
  assert.equal(port('22'), 22);
  assert.equal(port('65535'), 65535);
  assert.equal(wholeNumberOption(parseCommandLine(['i-1'], ssh), 'port', 1, 65535), undefined);
  for (const bad of ['0', '65536', '0x16', '1e3', '2.5', '-1', ' 22', '', 'ssh']) {
    assert.throws(() => port(bad), (err: unknown) => err instanceof UsageError && err.message === `--port ${bad}: a port from 1 to 65535.`, bad);
  }
});
