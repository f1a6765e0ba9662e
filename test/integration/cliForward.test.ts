// ec2ic forward and ec2ic ssh -L as a user runs them, against the sandbox. Its instances are real sshd processes on
// this machine, so "localhost" as an instance reaches it is this machine: an HTTP server started here is the
// instance's own web app. The Instance Connect Endpoint case needs root and the sandbox CA (see eice.test.ts).
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { get, type Server } from 'node:http';
import { createServer as createHttpServer } from 'node:http';
import { type AddressInfo, createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';

import { CreateTagsCommand } from '@aws-sdk/client-ec2';

import { type Sandbox, startSandbox } from '../../sandbox';
import { ec2Client, instanceNamed } from '../../sandbox/test/helpers';
import { waitFor } from '../fakes/waitFor';

let sandbox: Sandbox;
let work: string;
let env: NodeJS.ProcessEnv;
let web: Server;
let webPort: number;
/** A port nothing listens on (the instance's side of a forward that is refused). */
let closedPort: number;
const body = `hello through ec2ic ${process.pid}`;

before(async () => {
  if (!process.env.NODE_EXTRA_CA_CERTS) throw new Error('NODE_EXTRA_CA_CERTS must name the sandbox CA (npm test sets it: tsx sandbox/ca.ts prints it)');
  sandbox = await startSandbox({});
  work = await mkdtemp(join(tmpdir(), 'ec2ic-cli-forward-'));
  env = { ...process.env, ...sandbox.env, HOME: work, XDG_CONFIG_HOME: join(work, 'config'), AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };
  delete env.AWS_PROFILE;
  web = createHttpServer((request, response) => response.end(`${body} ${request.url}`));
  await new Promise<void>((resolve) => web.listen(0, '127.0.0.1', resolve));
  webPort = (web.address() as AddressInfo).port;
  closedPort = await freePort();
});

after(async () => {
  web?.close();
  await sandbox?.stop();
  if (work) await rm(work, { recursive: true, force: true });
});

beforeEach(() => sandbox.clearFaults());

/** A port free now: listened on, then closed. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Whether this process can listen on the port (nothing else holds it). */
async function canListen(port: number): Promise<boolean> {
  const server = createServer();
  try {
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(port, '127.0.0.1', resolve));
    await new Promise((resolve) => server.close(resolve));
    return true;
  } catch {
    return false;
  }
}

/** `node dist/cli.js …` running: its output as it comes, and its exit. */
class Cli {
  readonly child: ChildProcess;
  stdout = '';
  stderr = '';
  readonly exit: Promise<number | null>;

  constructor(args: string[]) {
    this.child = spawn(process.execPath, ['dist/cli.js', ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child.stdout!.setEncoding('utf8').on('data', (data: string) => (this.stdout += data));
    this.child.stderr!.setEncoding('utf8').on('data', (data: string) => (this.stderr += data));
    this.exit = once(this.child, 'close').then(([code]) => code as number | null);
  }

  /** Waits until stdout or stderr matches, and returns the match. */
  async waitFor(stream: 'stdout' | 'stderr', pattern: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
    let exited = false;
    void this.exit.then(() => (exited = true));
    await waitFor(() => pattern.test(this[stream]) || exited, `${stream} to match ${pattern}`, ms);
    const match = pattern.exec(this[stream]);
    if (!match) assert.fail(`ec2ic exited before its ${stream} matched ${pattern}.\nstdout: ${this.stdout}\nstderr: ${this.stderr}`);
    return match;
  }

  async interrupt(): Promise<number | null> {
    this.child.kill('SIGINT');
    return this.exit;
  }
}

/** A GET on its own connection (no keep-alive: each one is a new local connection to the forward). */
function fetchThrough(port: number, path = '/'): Promise<{ status: number; text: string }> {
  return new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port, path, agent: false }, (response) => {
      let text = '';
      response.setEncoding('utf8').on('data', (data: string) => (text += data));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text }));
      response.on('error', reject);
    }).on('error', reject);
  });
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

test('ec2ic forward prints the real local address of each port-0 spec on stdout; a GET through it reaches the instance\'s localhost; Ctrl-C exits 0 and frees the ports', async () => {
  const instance = instanceNamed(sandbox, 'web-prod-1');
  const cli = new Cli(['forward', instance.instanceId, `0:localhost:${webPort}`, `0:localhost:${closedPort}`]);
  const [, first, second] = await cli.waitFor('stdout', new RegExp(`^127\\.0\\.0\\.1:(\\d+) → localhost:${webPort}\\n127\\.0\\.0\\.1:(\\d+) → localhost:${closedPort}\\n$`));
  const [port, refusedPort] = [Number(first), Number(second)];
  assert.notEqual(port, 0);

  assert.deepEqual(await fetchThrough(port, '/first'), { status: 200, text: `${body} /first` });
  assert.deepEqual(await fetchThrough(port, '/second'), { status: 200, text: `${body} /second` });

  // Nothing listens on the instance's side of the second: a warning at the start, and the forward still runs.
  assert.match(
    cli.stderr,
    new RegExp(`^ec2ic: 127\\.0\\.0\\.1:${refusedPort} → localhost:${closedPort}: web-prod-1 \\(${instance.instanceId}\\) in us-east-1 could not connect to localhost:${closedPort} for the forward: nothing listens there.*The forward stays open: connections work once something listens there\\.\\n`),
  );
  assert.match(cli.stderr, new RegExp(`\\nec2ic: forwarding 2 ports on web-prod-1 \\(${instance.instanceId}\\) in us-east-1\\. Ctrl-C stops\\.\\n$`));
  await assert.rejects(fetchThrough(refusedPort), /socket hang up|ECONNRESET/);
  const stderrBefore = cli.stderr;
  await new Promise((resolve) => setTimeout(resolve, 200));
  assert.equal(cli.stderr, stderrBefore, 'the same refusal is said once');

  assert.equal(await cli.interrupt(), 0, cli.stderr);
  assert.ok(await canListen(port), `port ${port} is free again`);
  assert.ok(await canListen(refusedPort), `port ${refusedPort} is free again`);
});

test('a dropped connection reopens on the next local connection and says so; a reopening that fails says why, and the next connection tries again', async () => {
  const instance = instanceNamed(sandbox, 'web-prod-1');
  const cli = new Cli(['forward', instance.instanceId, `0:localhost:${webPort}`]);
  const port = Number((await cli.waitFor('stdout', /^127\.0\.0\.1:(\d+) → /))[1]);
  assert.equal((await fetchThrough(port)).status, 200);
  const prefix = `ec2ic: 127\\.0\\.0\\.1:${port} → localhost:${webPort}: `;

  await sandbox.injectFault({ dropSsh: instance.instanceId });
  await cli.waitFor('stderr', new RegExp(`${prefix}The connection to web-prod-1 \\(${instance.instanceId}\\) in us-east-1 at .* was lost: .* It opens again on the next connection\\.\\n`));

  await sandbox.injectFault({ operation: 'SendSSHPublicKey', error: 'AuthException', times: 1 });
  await assert.rejects(fetchThrough(port), /socket hang up|ECONNRESET/);
  await cli.waitFor('stderr', new RegExp(`${prefix}opening the connection to the instance again \\(a fresh key is pushed\\)…\\n`));
  await cli.waitFor('stderr', new RegExp(`${prefix}reopening failed: Could not connect to web-prod-1 .*AWS denied ec2-instance-connect:SendSSHPublicKey.* The next connection tries again\\.\\n`));

  assert.deepEqual(await fetchThrough(port, '/again'), { status: 200, text: `${body} /again` });
  await cli.waitFor('stderr', new RegExp(`${prefix}connected again\\.\\n`));

  assert.equal(await cli.interrupt(), 0, cli.stderr);
  assert.equal(cli.stdout.split('\n').length, 2, 'one line on stdout, written once');
  assert.ok(!cli.stderr.includes(sandbox.manifest.credentials.secretAccessKey));
  assert.doesNotMatch(cli.stderr, /request id|ProductError|AuthException/, 'plain words, not the thrown error');
  for (const line of cli.stderr.trimEnd().split('\n')) assert.match(line, /^ec2ic: /);
});

test('ec2ic ssh -L: the forward runs while the command does (its line on stderr first), then ec2ic exits with the command\'s status and frees the port', async () => {
  const instance = instanceNamed(sandbox, 'web-prod-1');
  const cli = new Cli(['ssh', instance.instanceId, '-L', `0:localhost:${webPort}`, '--', 'sleep 2; echo finished']);
  const port = Number((await cli.waitFor('stderr', new RegExp(`^ec2ic: forwarding 127\\.0\\.0\\.1:(\\d+) → localhost:${webPort} on web-prod-1 \\(${instance.instanceId}\\) in us-east-1\\n`)))[1]);
  assert.deepEqual(await fetchThrough(port, '/during'), { status: 200, text: `${body} /during` });
  assert.equal(await cli.exit, 0, cli.stderr);
  assert.equal(cli.stdout, 'finished\n');
  assert.ok(await canListen(port), `port ${port} is free again`);

  const failing = new Cli(['ssh', instance.instanceId, '-L', `0:localhost:${webPort}`, '--', 'exit 7']);
  assert.equal(await failing.exit, 7, failing.stderr);
});

test('ec2ic ssh -L through an Instance Connect Endpoint: two forwards and the command share one connection (one tunnel)', async () => {
  const instance = instanceNamed(sandbox, 'db-internal');
  const endpoint = sandbox.manifest.instanceConnectEndpoints.find((e) => e.vpcId === instance.vpcId)!;
  const tunnels = sandbox.endpointConnections(endpoint.instanceConnectEndpointId).total;
  const cli = new Cli(['ssh', instance.instanceId, '-L', `0:localhost:${webPort}`, `-L0:localhost:${webPort}`, '--', 'sleep 2; exit 3']);
  const lines = await cli.waitFor('stderr', /^ec2ic: forwarding 127\.0\.0\.1:(\d+) → .*\nec2ic: forwarding 127\.0\.0\.1:(\d+) → .*\n/);
  for (const port of [Number(lines[1]), Number(lines[2])]) assert.equal((await fetchThrough(port)).status, 200);
  assert.equal(await cli.exit, 3, cli.stderr);
  assert.equal(sandbox.endpointConnections(endpoint.instanceConnectEndpointId).total, tunnels + 1, 'one tunnel: one SSH connection for the forwards and the command');
});

test('a local port in use: exit 1 with a message naming the port, before any command runs', async () => {
  const instance = instanceNamed(sandbox, 'web-prod-1');
  const holder = createServer();
  await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
  const taken = (holder.address() as AddressInfo).port;
  try {
    const message = `ec2ic: Port ${taken} on this computer (127.0.0.1:${taken}) is in use by another program: choose another local port.\n`;
    const forward = new Cli(['forward', instance.instanceId, `0:localhost:${webPort}`, `${taken}:localhost:${webPort}`]);
    assert.equal(await forward.exit, 1);
    assert.equal(forward.stderr, message);
    assert.equal(forward.stdout, '', 'no address printed when not every forward started');

    const ssh = new Cli(['ssh', instance.instanceId, '-L', `${taken}:localhost:${webPort}`, '--', 'echo ran']);
    assert.equal(await ssh.exit, 1);
    assert.equal(ssh.stderr, message);
    assert.equal(ssh.stdout, '');
  } finally {
    holder.close();
  }
});

test('a bad spec: exit 2 with the syntax and the command named, for forward and ssh -L alike', async () => {
  const instance = instanceNamed(sandbox, 'web-prod-1');
  const forward = new Cli(['forward', instance.instanceId, `localhost:${webPort}`]);
  assert.equal(await forward.exit, 2);
  assert.equal(
    forward.stderr,
    `ec2ic forward: "localhost:${webPort}" is not a forward: it needs three or four fields separated by ":". Write [bind_address:]port:host:hostport, e.g. 8080:localhost:80 or 127.0.0.1:5432:db.internal:5432. Run 'ec2ic forward --help' for its options.\n`,
  );
  const ssh = new Cli(['ssh', instance.instanceId, '-L', `x:localhost:${webPort}`, '--', 'true']);
  assert.equal(await ssh.exit, 2);
  assert.match(ssh.stderr, new RegExp(`^ec2ic ssh: "${escaped(`x:localhost:${webPort}`)}" is not a forward: the local port "x" is not a number\\. Write `));
});

test('a hostile Name tag reaches the terminal as plain text', async () => {
  const instance = instanceNamed(sandbox, 'api-staging');
  await ec2Client(sandbox).send(new CreateTagsCommand({ Resources: [instance.instanceId], Tags: [{ Key: 'Name', Value: 'api\u001b]0;pwned\u0007\u001b[2J\r\nec2ic: fake' }] }));
  const cli = new Cli(['forward', instance.instanceId, `0:localhost:${webPort}`]);
  await cli.waitFor('stderr', /Ctrl-C stops\.\n/);
  assert.equal(await cli.interrupt(), 0);
  // eslint-disable-next-line no-control-regex -- no control character but the line feeds ending each line
  assert.doesNotMatch(cli.stderr + cli.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/);
  assert.match(cli.stderr, new RegExp(`^ec2ic: forwarding 127\\.0\\.0\\.1:\\d+ → localhost:${webPort} on api ec2ic: fake \\(${instance.instanceId}\\) in us-east-1\\. Ctrl-C stops\\.\\n$`));
});

test('an instance whose sshd does not allow TCP forwarding: exit 1 with why, nothing on stdout', async () => {
  const instance = instanceNamed(sandbox, 'legacy-reports');
  await sandbox.injectFault({ instanceId: instance.instanceId, allowTcpForwarding: false });
  try {
    const forward = new Cli(['forward', instance.instanceId, `0:localhost:${webPort}`]);
    assert.equal(await forward.exit, 1);
    assert.match(forward.stderr, new RegExp(`^ec2ic: .*\\(${escaped(instance.instanceId)}\\).* does not allow port forwarding to localhost:${webPort} for "${instance.osUser}".*AllowTcpForwarding no`));
    assert.equal(forward.stdout, '');
  } finally {
    await sandbox.clearFaults();
  }
});
