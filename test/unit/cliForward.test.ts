import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

import { parseCommandLine, stringsOption, UsageError } from '../../src/cli/args';
import { forwardCommand } from '../../src/cli/forward';
import { forwardDescription, forwardSpecs, forwardText, reportForwardChanges, startWarning } from '../../src/cli/forwarding';
import { sshCommand } from '../../src/cli/ssh';
import { ChangeEmitter, type Forward, type ForwardState } from '../../src/core/forward/forward';

const id = 'i-0123456789abcdef0';

function usageProblem(run: () => unknown): string {
  try {
    run();
  } catch (err) {
    assert.ok(err instanceof UsageError, `not a usage error: ${String(err)}`);
    return err.message;
  }
  return assert.fail('accepted');
}

test('ssh: -L repeats, in any of its forms (-L spec, -Lspec, --local-forward spec, --local-forward=spec), in order, beside a command', () => {
  const args = parseCommandLine([id, '-L', '8080:localhost:80', '-L5432:db.internal:5432', '--local-forward', '0:localhost:3000', '--local-forward=[::1]:9000:[::1]:90', '--', 'sleep', '2'], sshCommand.commandLine!);
  assert.deepEqual(stringsOption(args, 'local-forward'), ['8080:localhost:80', '5432:db.internal:5432', '0:localhost:3000', '[::1]:9000:[::1]:90']);
  assert.deepEqual(args.positionals, [id]);
  assert.deepEqual(args.rest, ['sleep', '2']);
  assert.deepEqual(stringsOption(parseCommandLine([id], sshCommand.commandLine!), 'local-forward'), []);
});

test('ssh: -L without its value, or a misspelled --local-forward, is a usage error naming it', () => {
  const problem = (argv: string[]) => usageProblem(() => parseCommandLine(argv, sshCommand.commandLine!));
  assert.equal(problem([id, '-L']), '-L needs a value');
  assert.equal(problem([id, '-L', '--user', 'ubuntu']), '-L needs a value');
  // parseArgs names an option by its short form when it has one, whichever form was typed.
  assert.equal(problem([id, '--local-forward']), '-L needs a value');
  assert.equal(problem([id, '--local-forwad', '8080:localhost:80']), 'unknown option --local-forwad (did you mean --local-forward?)');
  assert.equal(problem([id, '-l', '8080:localhost:80']), 'unknown option -l');
});

test('forward: the instance id and any number of specs as arguments; no command after --; the connection options of ssh', () => {
  const args = parseCommandLine([id, '8080:localhost:80', '0:db.internal:5432', '--user', 'ubuntu', '--connection-type', 'eice', '--eice-id', 'eice-0123456789abcdef0', '--port', '2222'], forwardCommand.commandLine!);
  assert.deepEqual(args.positionals, [id, '8080:localhost:80', '0:db.internal:5432']);
  assert.equal(args.options['connection-type'], 'eice');
  const problem = (argv: string[]) => usageProblem(() => parseCommandLine(argv, forwardCommand.commandLine!));
  assert.equal(problem([id, '8080:localhost:80', '--', 'uptime']), 'unexpected arguments after --: uptime');
  assert.equal(problem([id, '8080:localhost:80', '--usr', 'root']), 'unknown option --usr (did you mean --user?)');
});

test('specs in OpenSSH -L syntax: the bind address defaults to 127.0.0.1, port 0 asks for any free one', () => {
  assert.deepEqual(forwardSpecs(['8080:localhost:80', '0.0.0.0:0:db.internal:5432', '[::1]:9000:[fd00::1]:90']), [
    { bindAddress: '127.0.0.1', localPort: 8080, remoteHost: 'localhost', remotePort: 80 },
    { bindAddress: '0.0.0.0', localPort: 0, remoteHost: 'db.internal', remotePort: 5432 },
    { bindAddress: '::1', localPort: 9000, remoteHost: 'fd00::1', remotePort: 90 },
  ]);
  assert.deepEqual(forwardSpecs([]), []);
});

test('a malformed spec is a usage error that quotes it and shows the syntax (ec2ic adds where to read more)', () => {
  assert.equal(
    usageProblem(() => forwardSpecs(['8080:localhost:80', '80:localhost:'])),
    '"80:localhost:" is not a forward: the remote port "" is not a number. Write [bind_address:]port:host:hostport, e.g. 8080:localhost:80 or 127.0.0.1:5432:db.internal:5432',
  );
  assert.match(usageProblem(() => forwardSpecs(['8080'])), /^"8080" is not a forward: it needs three or four fields separated by ":"/);
  assert.match(usageProblem(() => forwardSpecs(['70000:localhost:80'])), /the local port 70000 is not between 0 and 65535/);
  assert.match(usageProblem(() => forwardSpecs(['8080:localhost:0'])), /the remote port 0 is not between 1 and 65535/);
});

test('the same local port twice is a usage error; port 0 twice, or the same port on two addresses, is fine', () => {
  assert.equal(
    usageProblem(() => forwardSpecs(['8080:localhost:80', '8080:localhost:81'])),
    '"8080:localhost:80" and "8080:localhost:81" both listen on local port 8080: give each forward its own port (0: any free one)',
  );
  assert.match(usageProblem(() => forwardSpecs(['127.0.0.1:8080:a:80', '*:8080:b:80'])), /both listen on local port 8080/);
  assert.equal(forwardSpecs(['0:localhost:80', '0:localhost:81']).length, 2);
  assert.equal(forwardSpecs(['127.0.0.1:8080:a:80', '127.0.0.2:8080:b:80']).length, 2);
});

/** A forward whose state the test sets, as SshForward changes its own. */
class FakeForward implements Forward {
  readonly id = 'forward-test';
  readonly kind = 'ssh';
  readonly instance = { instanceId: id, region: 'us-east-1', name: 'web\u001b[2J' };
  readonly local = { host: '127.0.0.1', port: 18080 };
  readonly remote = { host: 'localhost', port: 8080 };
  readonly connections = { open: 0, total: 0 };
  state: ForwardState = 'open';
  problem?: string;
  private readonly changes = new ChangeEmitter();

  set(state: ForwardState, problem?: string): void {
    this.state = state;
    this.problem = problem;
    this.changes.fire();
  }

  onDidChange(listener: () => void): () => void {
    return this.changes.on(listener);
  }

  async stop(): Promise<void> {
    this.set('stopped');
  }
}

const refused = 'web (i-0123456789abcdef0) in us-east-1 could not connect to localhost:8080 for the forward: nothing listens there, or the instance cannot reach it (Connection refused).';
const lost = 'The connection to web (i-0123456789abcdef0) in us-east-1 at 203.0.113.10 port 22 was lost: the instance closed the connection. It opens again on the next connection.';
const denied = 'Could not connect to web (i-0123456789abcdef0) in us-east-1: AWS denied ec2-instance-connect:SendSSHPublicKey to the default credentials.';

test('ec2ic forward says each change once: a refusal, the loss, the reopening, a failure to reopen (once, however often retried), and recovery', () => {
  const forward = new FakeForward();
  const lines: string[] = [];
  reportForwardChanges(forward, (line) => lines.push(line), { reconnects: true });
  forward.set('open', refused);
  forward.set('open', refused);
  forward.set('open', undefined);
  forward.set('dropped', lost);
  forward.set('connecting', lost);
  forward.set('failed', denied);
  forward.set('connecting', denied);
  forward.set('failed', denied);
  forward.set('connecting', denied);
  forward.set('open', undefined);
  forward.set('stopped');
  assert.deepEqual(lines, [
    `127.0.0.1:18080 → localhost:8080: ${refused}`,
    `127.0.0.1:18080 → localhost:8080: ${lost}`,
    '127.0.0.1:18080 → localhost:8080: opening the connection to the instance again (a fresh key is pushed)…',
    `127.0.0.1:18080 → localhost:8080: reopening failed: ${denied} The next connection tries again.`,
    '127.0.0.1:18080 → localhost:8080: connected again.',
  ]);
});

test('a refusal said again after a connection worked in between; an instance that does not forward at all is said too', () => {
  const forward = new FakeForward();
  const lines: string[] = [];
  reportForwardChanges(forward, (line) => lines.push(line), { reconnects: true });
  forward.set('open', refused);
  forward.set('open', undefined);
  forward.set('open', refused);
  const disabled = 'web (i-0123456789abcdef0) in us-east-1 does not allow port forwarding to localhost:8080 for "ec2-user". Its sshd_config sets AllowTcpForwarding no.';
  forward.set('open', disabled);
  assert.deepEqual(lines, [refused, refused, disabled].map((text) => `127.0.0.1:18080 → localhost:8080: ${text}`));
});

test('ec2ic ssh -L leaves the loss and reopening out (the shell on the same connection ends and says why), but says refusals', () => {
  const forward = new FakeForward();
  const lines: string[] = [];
  reportForwardChanges(forward, (line) => lines.push(line), { reconnects: false });
  forward.set('open', refused);
  forward.set('dropped', lost);
  forward.set('connecting', lost);
  forward.set('failed', denied);
  assert.deepEqual(lines, [`127.0.0.1:18080 → localhost:8080: ${refused}`]);
});

test('a failure that names a setting is said with the option: the one translation', () => {
  const forward = new FakeForward();
  const lines: string[] = [];
  reportForwardChanges(forward, (line) => lines.push(line), { reconnects: true });
  forward.set('connecting');
  forward.set('failed', 'web did not answer within 15 seconds. Raise the setting ec2InstanceConnect.connectTimeout if it is slow.');
  assert.match(lines[1], /Raise the option --connect-timeout if it is slow\. The next connection tries again\.$/);
});

test('addresses: IPv6 in brackets; the instance named in plain text (its Name tag is untrusted)', () => {
  const forward = new FakeForward();
  assert.equal(forwardText({ local: { host: '::1', port: 9000 }, remote: { host: 'fd00::1', port: 90 } }), '[::1]:9000 → [fd00::1]:90');
  assert.equal(forwardDescription(forward), '127.0.0.1:18080 → localhost:8080 on web (i-0123456789abcdef0) in us-east-1');
  assert.equal(startWarning(forward), undefined);
  forward.set('open', refused);
  assert.equal(startWarning(forward), `127.0.0.1:18080 → localhost:8080: ${refused} The forward stays open: connections work once something listens there.`);
});

const cli = join(__dirname, '..', '..', 'dist', 'cli.js');

async function usageFailure(args: string[]): Promise<{ code: number; stderr: string }> {
  return promisify(execFile)(process.execPath, [cli, ...args], { env: { ...process.env, AWS_ENDPOINT_URL: 'http://127.0.0.1:9' } }).then(
    () => assert.fail(`ec2ic accepted ${args.join(' ')}`),
    (err: { code: number; stderr: string }) => err,
  );
}

test('ec2ic ssh -L and ec2ic forward refuse a bad spec with status 2 before reaching AWS, naming the command', async () => {
  const ssh = await usageFailure(['ssh', id, '-L', '80:localhost:', '--', 'true']);
  assert.equal(ssh.code, 2);
  assert.equal(
    ssh.stderr,
    `ec2ic ssh: "80:localhost:" is not a forward: the remote port "" is not a number. Write [bind_address:]port:host:hostport, e.g. 8080:localhost:80 or 127.0.0.1:5432:db.internal:5432. Run 'ec2ic ssh --help' for its options.\n`,
  );
  const forward = await usageFailure(['forward', id, '8080:localhost:80', 'localhost:80']);
  assert.equal(forward.code, 2);
  assert.match(forward.stderr, /^ec2ic forward: "localhost:80" is not a forward: it needs three or four fields separated by ":"\..* Run 'ec2ic forward --help' for its options\.\n$/);
  const none = await usageFailure(['forward', id]);
  assert.equal(none.code, 2);
  assert.match(none.stderr, /^ec2ic forward: name at least one forward after the instance id, e.g. ec2ic forward i-0123456789abcdef0 8080:localhost:80\./);
});

test('ec2ic forward without the instance id says so, as every command does (status 1)', async () => {
  const failure = await usageFailure(['forward', '8080:localhost:80']);
  assert.equal(failure.code, 1);
  assert.equal(failure.stderr, 'ec2ic: "8080:localhost:80" is not an instance id. Instance ids look like i-0123456789abcdef0.\n');
});
