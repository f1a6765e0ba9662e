// The serial console and its failures against the sandbox: real SDK clients, real key pushes, the sandbox's serial
// console endpoint over real ssh2, through the editor-facing layer (commands, terminal, notifications behind the
// Ui interface) and through the CLI (dist/cli.js).
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, beforeEach, test } from 'node:test';

import { type Sandbox, type SandboxInstance, startSandbox } from '../../sandbox';
import { instanceNamed } from '../../sandbox/test/helpers';
import { AwsClients } from '../../src/core/aws/clients';
import type { Ec2Instance } from '../../src/core/aws/model';
import type { Settings } from '../../src/core/base/settings';
import * as core from '../../src/core/core';
import { connectSerialConsole } from '../../src/editor/commands/connectSerialConsole';
import { runCommand } from '../../src/editor/commands/registry';
import { openSerialConsoleTerminal } from '../../src/editor/terminal/serialConsoleTerminal';
import { fakeServices } from '../fakes/fakeServices';
import type { FakeTerminal, FakeUi } from '../fakes/fakeUi';
import { recordingLog } from '../fakes/recordingLog';
import { waitFor } from '../fakes/waitFor';

let sandbox: Sandbox;
const apiCalls: string[] = [];
const saved = { ...process.env };
const openTerminals: FakeTerminal[] = [];
let cliHome: string;

before(async () => {
  sandbox = await startSandbox({ serialTeardownSeconds: 1, transitionSeconds: 1, log: (line) => void apiCalls.push(line) });
  cliHome = mkdtempSync(join(tmpdir(), 'ec2ic-serial-'));
  // What a user pointing the extension at this sandbox has: environment credentials, no config files.
  process.env = { ...saved, ...sandbox.env, AWS_CONFIG_FILE: join(cliHome, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(cliHome, 'credentials') };
  delete process.env.AWS_PROFILE;
});

after(async () => {
  process.env = saved;
  await sandbox?.stop();
  if (cliHome) rmSync(cliHome, { recursive: true, force: true });
});

beforeEach(async () => {
  await sandbox.clearFaults();
  sandbox.setSerialConsoleAccess(true);
});

afterEach(async () => {
  // Sessions end with their terminals; the sandbox frees the console a second later.
  for (const terminal of openTerminals.splice(0)) terminal.logic.close();
  for (const instance of sandbox.manifest.instances) await free(instance);
});

const closedLines = (instance: SandboxInstance) => apiCalls.filter((l) => l.includes(`session closed on ${instance.instanceId}`)).length;
/** How many of each instance's sessions had ended, and been torn down, when it was last seen free. */
const tornDown = new Map<string, number>();

/** Until the sandbox's console of the instance is free again: the session ended, and its teardown (1 s here) is over. */
async function free(instance: SandboxInstance): Promise<void> {
  await waitFor(() => !busy(instance), `the serial console of ${instance.name} to be free`);
  const closed = closedLines(instance);
  if ((tornDown.get(instance.instanceId) ?? 0) === closed) return;
  await new Promise((resolve) => setTimeout(resolve, 1200));
  tornDown.set(instance.instanceId, closed);
}

/** Whether the sandbox holds a serial session on the instance (its log says so). */
function busy(instance: SandboxInstance): boolean {
  return apiCalls.filter((l) => l.includes(`session opened on ${instance.instanceId}`)).length > closedLines(instance);
}


/** The editor as a user has it: the real core and SDK clients, the serial console settings pointing at the sandbox. */
function editor(settings: Partial<Settings['serialConsole']> = {}, options: { maxAttempts?: number } = {}) {
  const { host, port, fingerprint } = sandbox.manifest.serialConsole;
  const clients = new AwsClients({ endpoint: sandbox.manifest.endpoint, maxAttempts: options.maxAttempts ?? 3 });
  const log = recordingLog();
  const { services, ui } = fakeServices({
    core,
    aws: clients,
    log,
    backend: core.createInventoryBackend(clients),
    settings: { regions: sandbox.manifest.regions, connectTimeoutSeconds: 10, serialConsole: { endpoint: host, port, fingerprint, ...settings } },
  });
  return { services, ui, log, clients };
}

/** Lists the account as the view would, then records each state the inventory (what every view reads) shows for the instance. */
async function watchState(services: ReturnType<typeof editor>['services'], instanceId: string): Promise<string[]> {
  await services.inventory.ensureLoaded();
  await services.inventory.settled();
  const states: string[] = [];
  services.inventory.onDidChange(() => {
    const state = services.inventory.instances().find((i) => i.instanceId === instanceId)?.state ?? 'gone';
    if (states.at(-1) !== state) states.push(state);
  });
  return states;
}

async function described(clients: AwsClients, instance: SandboxInstance): Promise<Ec2Instance> {
  const found = await core.describeInstance(clients.ec2Client({ region: instance.region }), { region: instance.region }, instance.instanceId);
  assert.ok(found, `${instance.name} is described`);
  return found;
}

function lastTerminal(ui: FakeUi): FakeTerminal {
  const terminal = ui.terminals.at(-1);
  assert.ok(terminal, 'a terminal was opened');
  if (!openTerminals.includes(terminal)) openTerminals.push(terminal);
  return terminal;
}

const greeted = (terminal: FakeTerminal) => terminal.text.includes('To end the session, close this terminal.');
const titles = (ui: FakeUi, index = 0) => ui.messages[index]?.actions;

/** The twelve exceptions of EC2 Instance Connect, and the actions each one's notification offers for the serial console. */
const exceptions: [string, string[]][] = [
  ['AuthException', ['Show Required Policy', 'Switch Profile']],
  ['EC2InstanceNotFoundException', ['Refresh']],
  ['EC2InstanceTypeInvalidException', ['Learn More']],
  ['InvalidArgsException', []],
  ['SerialConsoleAccessDisabledException', ['Enable for This Account…', 'Learn More']],
  ['SerialConsoleSessionLimitExceededException', ['Retry in 30 s']],
  ['SerialConsoleSessionUnavailableException', ['Retry']],
  ['ServiceException', ['Retry']],
  ['ThrottlingException', ['Retry']],
  ['EC2InstanceStateInvalidException', ['Refresh']],
  ['EC2InstanceUnavailableException', ['Retry']],
  ['SerialConsoleSessionUnsupportedException', ['Reboot Instance…']],
];

test('Connect to Serial Console: the greeting, a silent console until Enter, then the login prompt; closing ends the session', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const { services, ui, clients, log } = editor();
  await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: await described(clients, web) }]);
  const terminal = lastTerminal(ui);
  assert.equal(terminal.name, 'web-prod-1 (serial console)');
  await waitFor(() => greeted(terminal), 'the greeting', 10_000);
  assert.match(terminal.text, /^Connecting to the serial console of web-prod-1 \(i-[0-9a-f]+\) in us-east-1…\r\nConnected to the serial console of web-prod-1/);
  assert.match(terminal.text, /It shows nothing until you press Enter/);
  assert.match(terminal.text, /A new session can start about 30 seconds after one ends\./);
  assert.ok(!terminal.text.includes('login:'), 'silent until Enter');
  terminal.logic.input('\r');
  await waitFor(() => terminal.text.includes(' login: '), 'the login prompt');
  assert.ok(busy(web));
  terminal.logic.close();
  await waitFor(() => !busy(web), 'the session to end on the endpoint');
  assert.equal(ui.messages.length, 0);
  assert.ok(log.lines.some((l) => /\[serial\] serial console of i-[0-9a-f]+ open via 127\.0\.0\.1:\d+ in \d+ ms/.test(l)));
});

for (const [exception, actions] of exceptions) {
  test(`${exception} in the editor: the terminal and a notification say what happened, naming instance and region, with ${actions.join(', ') || 'only Show Log'}`, async () => {
    const web = instanceNamed(sandbox, 'web-prod-1');
    // Not `times: 1`: the SDK retries throttling and server errors itself, and the notification comes after that.
    await sandbox.injectFault({ operation: 'SendSerialConsoleSSHPublicKey', instanceId: web.instanceId, error: exception });
    const { services, ui, log } = editor();
    await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: await described(new AwsClients({ endpoint: sandbox.manifest.endpoint }), web) }]);
    await waitFor(() => ui.messages.length > 0, 'the notification', 10_000);
    const [shown] = ui.messages;
    assert.match(shown.message, new RegExp(`web-prod-1 \\(${web.instanceId}\\) in us-east-1`), shown.message);
    assert.doesNotMatch(shown.message, /Exception|undefined|\[object/, 'plain words');
    assert.deepEqual(shown.actions, [...actions, 'Show Log']);
    const terminal = lastTerminal(ui);
    assert.ok(terminal.text.includes(shown.message.replace(/\n/g, '\r\n')), 'the terminal says the same');
    assert.match(terminal.text, /Press Enter to try again, or close this terminal\.\r\n$/);
    assert.ok(log.lines.some((l) => l.startsWith('error [failure] serialConsole') && l.includes(`[${exception}]`) && /request id [0-9a-f-]{36}/.test(l)), 'logged with its request id');
  });
}

for (const [exception] of exceptions) {
  test(`${exception} in the CLI: the same message on stderr, exit status 1, no stack trace`, async () => {
    const web = instanceNamed(sandbox, 'web-prod-1');
    await sandbox.injectFault({ operation: 'SendSerialConsoleSSHPublicKey', instanceId: web.instanceId, error: exception });
    const { code, stderr, stdout } = await cli(['serial-console', web.instanceId, '--region', web.region]);
    assert.equal(code, 1, stderr);
    assert.equal(stdout, '');
    const line = stderr.split('\n').find((l) => l.startsWith('ec2ic: ')) ?? '';
    assert.match(line, new RegExp(`^ec2ic: Could not connect to the serial console of ${web.instanceId} in us-east-1`), stderr);
    assert.doesNotMatch(stderr, /^\s+at /m, 'no stack trace without --debug');
  });
}

test('the CLI shows the stack trace with --debug, and no secret in its debug log', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  await sandbox.injectFault({ operation: 'SendSerialConsoleSSHPublicKey', instanceId: web.instanceId, error: 'ServiceException' });
  const { code, stderr } = await cli(['serial-console', web.instanceId, '--region', web.region, '--debug']);
  assert.equal(code, 1);
  assert.match(stderr, /^\s+at /m);
  assert.ok(!stderr.includes(sandbox.manifest.credentials.secretAccessKey));
  assert.doesNotMatch(stderr, /PRIVATE KEY|Signature=[0-9a-f]{64}/);
});

test('the CLI opens the console: greeting on stderr, the console on stdout, ~. ends the session with status 0', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const child = spawnCli(['serial-console', web.instanceId, '--region', web.region]);
  await waitFor(() => child.stderr().includes('type ~. at the start of a line'), 'the greeting', 10_000);
  assert.match(child.stderr(), /Connected to the serial console of web-prod-1 \(i-[0-9a-f]+\) in us-east-1\./);
  child.stdin.write('\r');
  await waitFor(() => child.stdout().includes(' login: '), 'the login prompt');
  child.stdin.write('\r~.');
  assert.equal(await child.exited, 0);
  assert.match(child.stderr(), /Serial console session ended\./);
});

test('the CLI names an unknown profile, with or without --region', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const withoutRegion = await cli(['serial-console', web.instanceId, '--profile', 'nope']);
  assert.equal(withoutRegion.code, 1);
  assert.match(withoutRegion.stderr, /^ec2ic: There is no AWS profile "nope" in ~\/\.aws\/config or ~\/\.aws\/credentials\. Check --profile or AWS_PROFILE\.$/m);
  const withRegion = await cli(['serial-console', web.instanceId, '--profile', 'nope', '--region', web.region]);
  assert.equal(withRegion.code, 1);
  assert.match(withRegion.stderr, /^ec2ic: Could not connect to the serial console of i-[0-9a-f]+ in us-east-1: there is no AWS profile "nope" with credentials/m);
});

test('SDK retries come first: a throttle that clears within its retries never reaches the user', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  await sandbox.injectFault({ operation: 'SendSerialConsoleSSHPublicKey', instanceId: web.instanceId, error: 'ThrottlingException', times: 2 });
  const { services, ui, clients } = editor();
  await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: await described(clients, web) }]);
  const terminal = lastTerminal(ui);
  await waitFor(() => greeted(terminal), 'the greeting', 15_000);
  assert.equal(ui.messages.length, 0);
});

test('enable the serial console, then connect: the account setting is off, Enable for This Account… turns it on and the terminal continues', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  sandbox.setSerialConsoleAccess(false);
  const { services, ui, clients } = editor();
  const callsBefore = apiCalls.length;
  ui.messageAnswers.push('Enable for This Account…', 'Enable');
  await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: await described(clients, web) }]);
  const terminal = lastTerminal(ui);
  await waitFor(() => greeted(terminal), 'the greeting after enabling', 10_000);
  assert.match(ui.messages[0].message, /^Could not connect to the serial console of web-prod-1 \(i-[0-9a-f]+\) in us-east-1: the EC2 serial console is turned off for this AWS account in us-east-1\./);
  assert.equal(ui.messages[0].severity, 'warning');
  assert.equal(ui.messages[1].modal, true, 'confirmed first');
  assert.match(ui.messages[1].message, /^Enable the EC2 serial console for this AWS account in us-east-1\?$/);
  const calls = apiCalls.slice(callsBefore).filter((l) => / (GetSerialConsoleAccessStatus|EnableSerialConsoleAccess|SendSerialConsoleSSHPublicKey)\b/.test(l));
  assert.deepEqual(
    calls.map((l) => l.replace(/ i-[0-9a-f]+/, '')),
    ['ec2 us-east-1 GetSerialConsoleAccessStatus → 200', 'ec2 us-east-1 EnableSerialConsoleAccess → 200', 'ec2 us-east-1 GetSerialConsoleAccessStatus → 200', 'ec2-instance-connect us-east-1 SendSerialConsoleSSHPublicKey → 200'],
    'the setting was read before any push, and no push was refused',
  );
  assert.equal((await core.serialConsoleAccess(clients.ec2Client({ region: 'us-east-1' }))).enabled, true);
  terminal.logic.input('\r');
  await waitFor(() => terminal.text.includes(' login: '), 'the login prompt');
});

test('session limit, then Retry in 30 s after the other session ends: a countdown, then the same terminal connects', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const first = editor();
  await openSerialConsoleTerminal(first.services, await described(first.clients, web));
  const firstTerminal = lastTerminal(first.ui);
  await waitFor(() => greeted(firstTerminal), 'the first session', 10_000);

  const second = editor();
  second.ui.messageAnswers.push('Retry in 30 s');
  await openSerialConsoleTerminal(second.services, await described(second.clients, web), { retryDelaySeconds: 3 });
  const secondTerminal = lastTerminal(second.ui);
  await waitFor(() => second.ui.messages.length > 0, 'the session-limit notification', 10_000);
  assert.match(second.ui.messages[0].message, /already has a serial console session/);
  assert.deepEqual(titles(second.ui), ['Retry in 30 s', 'Show Log']);
  firstTerminal.logic.close();

  await waitFor(() => greeted(secondTerminal), 'the second session after the countdown', 15_000);
  assert.equal(second.ui.progress[0].title, `Waiting for the serial console of web-prod-1 (${web.instanceId}) to be free…`);
  assert.deepEqual(second.ui.progress[0].reports, ['3 s', '2 s', '1 s']);
  assert.equal(second.ui.messages.length, 1);
});

test('start the instance, then connect: a stopped row offers Start Instance before any terminal, and the console opens once it runs', async () => {
  const worker = instanceNamed(sandbox, 'batch-worker');
  const { services, ui, clients } = editor();
  const stopped = await described(clients, worker);
  assert.equal(stopped.state, 'stopped');
  const updated = await watchState(services, stopped.instanceId);
  ui.messageAnswers.push('Start Instance');
  await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: stopped }]);
  assert.match(ui.messages[0].message, /^batch-worker \(i-[0-9a-f]+\) in us-east-1 is stopped\. Start it, then connect to its serial console/);
  assert.deepEqual(titles(ui), ['Start Instance', 'Show Log']);
  const terminal = lastTerminal(ui);
  await waitFor(() => greeted(terminal), 'the console of the started instance', 20_000);
  assert.deepEqual(updated, ['pending', 'running']);
  assert.equal(ui.terminals.length, 1, 'no terminal for the stopped instance');
});

test('a stale row: EC2InstanceStateInvalidException on an instance that is really stopped offers Start Instance, and the row is updated', async () => {
  const sap = instanceNamed(sandbox, 'sap-test');
  const { services, ui, clients } = editor();
  const stale = { ...(await described(clients, sap)), state: 'running' as const };
  const updated = await watchState(services, stale.instanceId);
  services.inventory.updateInstance(stale);
  assert.deepEqual(updated, ['running'], 'the row shows it running, as it was listed a moment ago');
  await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: stale }]);
  await waitFor(() => ui.messages.length > 0, 'the notification', 10_000);
  lastTerminal(ui);
  assert.match(ui.messages[0].message, /^Could not connect to the serial console of sap-test \(i-[0-9a-f]+\) in eu-west-1: it is stopped\. Start it/);
  assert.deepEqual(titles(ui), ['Start Instance', 'Show Log']);
  assert.deepEqual(updated, ['running', 'stopped']);
});

test('a wrong serial host key is refused: both fingerprints shown, no session opened', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const wrong = 'SHA256:dXwn5ma/xadVMeBZGEru5l2gx+yI5LDiJaLUcz0FMmw';
  const { services, ui, clients } = editor({ fingerprint: wrong });
  await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: await described(clients, web) }]);
  await waitFor(() => ui.messages.length > 0, 'the notification', 10_000);
  const terminal = lastTerminal(ui);
  const { message, actions } = ui.messages[0];
  assert.ok(message.includes(sandbox.manifest.serialConsole.fingerprint), message);
  assert.ok(message.includes(`setting ec2InstanceConnect.serialConsole.fingerprint expects ${wrong}`), message);
  assert.match(message, /Someone may be intercepting the connection, so it was stopped/);
  assert.deepEqual(actions, ['Learn More', 'Show Log']);
  assert.ok(terminal.text.includes(sandbox.manifest.serialConsole.fingerprint));
  assert.ok(!busy(web), 'the endpoint never opened a session');

  const { code, stderr } = await cli(['serial-console', web.instanceId, '--region', web.region], { fingerprint: wrong });
  assert.equal(code, 1);
  assert.ok(stderr.includes(wrong) && stderr.includes(sandbox.manifest.serialConsole.fingerprint), stderr);
});

test('an endpoint without a known fingerprint is trusted on first use, with a warning, then checked', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const { services, ui, clients } = editor({ fingerprint: '' });
  const instance = await described(clients, web);
  await openSerialConsoleTerminal(services, instance);
  const first = lastTerminal(ui);
  await waitFor(() => greeted(first), 'the first session', 10_000);
  assert.ok(first.text.includes(`so its key ${sandbox.manifest.serialConsole.fingerprint} is trusted on first use and checked from now on.`), first.text);
  first.logic.close();
  await free(web);

  await openSerialConsoleTerminal(services, instance);
  const second = lastTerminal(ui);
  await waitFor(() => greeted(second), 'the second session', 10_000);
  assert.ok(!second.text.includes('trusted on first use'));

  // A different key at the same endpoint later is refused.
  const key = `serialConsoleHostKey/${sandbox.manifest.serialConsole.host}:${sandbox.manifest.serialConsole.port}`;
  await services.store.update(key, { fingerprint: 'SHA256:EMCIe23TqKaBI6yGHainqZcMwqNkDhhAVHa1O2JxVUc', type: 'ed25519', trustedAt: new Date().toISOString() });
  second.logic.close();
  await free(web);
  await openSerialConsoleTerminal(services, instance);
  await waitFor(() => ui.messages.length > 0, 'the refusal');
  lastTerminal(ui);
  assert.match(ui.messages[0].message, /when it was first used/);
});

test('SerialConsoleSessionUnsupportedException: Reboot Instance… asks, reboots, and the console connects to watch it boot', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  await sandbox.injectFault({ operation: 'SendSerialConsoleSSHPublicKey', instanceId: web.instanceId, error: 'SerialConsoleSessionUnsupportedException', times: 1 });
  const { services, ui, clients } = editor();
  ui.messageAnswers.push('Reboot Instance…', 'Reboot');
  await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: await described(clients, web) }]);
  const terminal = lastTerminal(ui);
  await waitFor(() => greeted(terminal), 'the console after the reboot', 10_000);
  assert.equal(ui.messages[1].modal, true);
  assert.match(ui.messages[1].message, /^Reboot web-prod-1 \(i-[0-9a-f]+\)\?$/);
  assert.ok(apiCalls.some((l) => l.includes('RebootInstances') && l.includes(web.instanceId)), apiCalls.filter((l) => l.includes('Reboot')).join('\n'));
});

test('EC2InstanceNotFoundException: Refresh refreshes the view, so the stale row goes away', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  await sandbox.injectFault({ operation: 'SendSerialConsoleSSHPublicKey', instanceId: web.instanceId, error: 'EC2InstanceNotFoundException' });
  const { services, ui, clients } = editor();
  ui.messageAnswers.push('Refresh');
  await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: await described(clients, web) }]);
  await waitFor(() => ui.executed.length > 0, 'the refresh');
  lastTerminal(ui);
  assert.deepEqual(ui.executed.map((e) => e.command), ['ec2InstanceConnect.refresh']);
});

test('AuthException: Switch Profile picks another profile and the same terminal connects with it', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const { accessKeyId, secretAccessKey } = sandbox.manifest.credentials;
  writeFileSync(join(cliHome, 'credentials'), `[operator]\naws_access_key_id = ${accessKeyId}\naws_secret_access_key = ${secretAccessKey}\n`);
  try {
    await sandbox.injectFault({ operation: 'SendSerialConsoleSSHPublicKey', instanceId: web.instanceId, error: 'AuthException', times: 1 });
    const { services, ui, clients } = editor();
    ui.messageAnswers.push('Switch Profile');
    ui.pickAnswers.push((labels) => labels.find((l) => l === 'operator'));
    await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: await described(clients, web) }]);
    const terminal = lastTerminal(ui);
    await waitFor(() => greeted(terminal), 'the console with the other profile', 10_000);
    assert.equal(ui.picks[0].title, 'Profile to connect to the serial console with');
    assert.deepEqual(ui.picks[0].labels, ['operator']);
  } finally {
    writeFileSync(join(cliHome, 'credentials'), '');
  }
});

test('nothing secret in a whole session traced at the finest level', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const { services, ui, clients, log } = editor();
  await runCommand(services, connectSerialConsole, [{ kind: 'instance', instance: await described(clients, web) }]);
  const terminal = lastTerminal(ui);
  await waitFor(() => greeted(terminal), 'the greeting', 10_000);
  const all = log.lines.join('\n');
  assert.ok(log.lines.length > 3, all);
  assert.ok(!all.includes(sandbox.manifest.credentials.secretAccessKey));
  assert.doesNotMatch(all, /PRIVATE KEY|Signature=[0-9a-f]{64}|X-Amz-Security-Token/);
});

/** ec2ic as a user runs it, pointed at the sandbox's serial endpoint with --endpoint and --fingerprint. */
function cliArgs(args: string[], overrides: { fingerprint?: string } = {}): string[] {
  const { host, port, fingerprint } = sandbox.manifest.serialConsole;
  return ['dist/cli.js', ...args, '--endpoint', `${host}:${port}`, '--fingerprint', overrides.fingerprint ?? fingerprint];
}

function cliEnv(): NodeJS.ProcessEnv {
  return { ...process.env, XDG_CONFIG_HOME: join(cliHome, 'xdg') };
}

function cli(args: string[], overrides: { fingerprint?: string } = {}): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, cliArgs(args, overrides), { env: cliEnv(), timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

function spawnCli(args: string[]) {
  const child = spawn(process.execPath, cliArgs(args), { env: cliEnv() });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (data: Buffer) => void (stdout += data.toString()));
  child.stderr.on('data', (data: Buffer) => void (stderr += data.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
  return { stdin: child.stdin, stdout: () => stdout, stderr: () => stderr, exited };
}

/** ec2ic with only the arguments given, and a config directory of its own; stdin ends at once. */
function plainCli(args: string[], configHome: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, ['dist/cli.js', ...args], { env: { ...process.env, XDG_CONFIG_HOME: configHome }, timeout: 30_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
    child.stdin?.end();
  });
}

test('ec2ic serial-console --endpoint without --fingerprint: one warning that says why; forget-host-key --serial-console forgets that key', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const { host, port, fingerprint } = sandbox.manifest.serialConsole;
  const configHome = join(cliHome, 'xdg first use');
  const open = () => plainCli(['serial-console', web.instanceId, '--region', web.region, '--endpoint', `${host}:${port}`], configHome);
  await free(web);
  const first = await open();
  assert.equal(first.code, 0, first.stderr);
  const warnings = first.stderr.split('\n').filter((line) => line.includes('trusted on first use'));
  assert.deepEqual(warnings, [
    `Warning: the serial console endpoint was set to ${host}:${port} without a host key fingerprint to check it against, so its key ${fingerprint} is trusted on first use and checked from now on.`,
  ]);

  const forgot = await plainCli(['forget-host-key', '--serial-console', `${host}:${port}`], configHome);
  assert.equal(forgot.code, 0, forgot.stderr);
  assert.equal(forgot.stdout, `Forgot the host key of the serial console endpoint ${host}:${port} (${fingerprint}).\n`);
  const again = await plainCli(['forget-host-key', '--serial-console', `${host}:${port}`], configHome);
  assert.equal(again.stdout, `No host key is stored for the serial console endpoint ${host}:${port}.\n`);

  // Forgotten: the next session trusts it on first use again.
  await free(web);
  const second = await open();
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stderr, /is trusted on first use/);
});

test('ec2ic forget-host-key with a malformed id says it is not an instance id, as ec2ic ssh does', async () => {
  const result = await plainCli(['forget-host-key', 'i-bad'], join(cliHome, 'xdg forget'));
  assert.equal(result.code, 1);
  assert.equal(result.stderr, 'ec2ic: "i-bad" is not an instance id. Instance ids look like i-0123456789abcdef0.\n');
});
