// Connect against the sandbox: real SDK clients, real EC2 Instance Connect pushes, real sshd, real ssh2,
// through the same core the editor and the CLI use.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, beforeEach, test } from 'node:test';
import { promisify } from 'node:util';

import { type Sandbox, type SandboxInstance, startSandbox } from '../../sandbox';
import { instanceNamed } from '../../sandbox/test/helpers';
import { AwsClients } from '../../src/core/aws/clients';
import { type Logger, silentLogger } from '../../src/core/base/log';
import { defaultSettings, type KeyTypeSetting } from '../../src/core/base/settings';
import { MemoryStore } from '../../src/core/base/store';
import { Connector, type ConnectSettings } from '../../src/core/connect/connector';
import type { StageDeadlines } from '../../src/core/connect/pushDeadlines';
import { isProductError } from '../../src/core/errors/productError';
import type { ChannelEnd } from '../../src/core/ssh/channel';
import { KeyFactory, type KeyPair } from '../../src/core/ssh/keys';
import type { SshChannel } from '../../src/core/ssh/session';
import { TerminalSession, type TerminalSessionHost } from '../../src/editor/terminal/terminalSession';
import { recordingLog } from '../fakes/recordingLog';
import { waitFor } from '../fakes/waitFor';

const run = promisify(execFile);
let sandbox: Sandbox;
/** The sandbox's own log: one line per API call, e.g. "ec2-instance-connect us-east-1 SendSSHPublicKey i-… → 200". */
const apiCalls: string[] = [];
let onApiCall: (line: string) => void = () => {};
const saved = { ...process.env };

before(async () => {
  sandbox = await startSandbox({
    log: (line) => {
      apiCalls.push(line);
      onApiCall(line);
    },
  });
  // What a user pointing the extension at this sandbox has: environment credentials, no config files.
  process.env = { ...saved, ...sandbox.env, AWS_CONFIG_FILE: '/nonexistent/config', AWS_SHARED_CREDENTIALS_FILE: '/nonexistent/credentials' };
  delete process.env.AWS_PROFILE;
});

after(async () => {
  process.env = saved;
  await sandbox?.stop();
});

beforeEach(async () => {
  onApiCall = () => {};
  sandbox.setKeyWindow(60);
  await sandbox.clearFaults();
});

function connector(options: { log?: Logger; settings?: Partial<ConnectSettings>; store?: MemoryStore; keys?: KeyFactory; deadlines?: Partial<StageDeadlines> } = {}): Connector {
  const clients = new AwsClients({ endpoint: sandbox.manifest.endpoint, maxAttempts: 1 });
  return new Connector({
    aws: () => clients,
    store: options.store ?? new MemoryStore(),
    settings: () => ({ ...defaultSettings, connectTimeoutSeconds: 10, ...options.settings }),
    log: options.log ?? silentLogger,
    keys: options.keys,
    deadlines: options.deadlines,
  });
}

const ref = (instance: SandboxInstance) => ({ instanceId: instance.instanceId, region: instance.region });
const pushesTo = (instance: SandboxInstance) => apiCalls.filter((line) => line.includes(`SendSSHPublicKey ${instance.instanceId} → 200`)).length;

function finished(channel: SshChannel): Promise<{ stdout: string; end: ChannelEnd }> {
  let stdout = '';
  return new Promise((resolve) => {
    channel.onData((data, stream) => {
      if (stream === 'stdout') stdout += data.toString();
    });
    channel.onEnd((end) => resolve({ stdout, end }));
  });
}

/** Terminal output without escape sequences (colors, titles, bracketed paste), for matching lines. */
function plain(text: string): string {
  // eslint-disable-next-line no-control-regex -- terminal escape sequences are what it strips
  return text.replace(/\x1b\[[0-9;?]*[A-Za-z]|\x1b\][^\x07]*\x07/g, '');
}

/** Whether a line of the terminal's output is exactly `line`. */
function hasLine(text: string, line: string): boolean {
  return plain(text).split(/\r*\n|\r/).includes(line);
}

/** A terminal as the editor drives it (TerminalSession), recording what it shows. */
function terminal(c: Connector, instance: SandboxInstance) {
  const shown = { text: '', closedWith: 'open' as number | undefined | 'open', failures: [] as unknown[] };
  const host: TerminalSessionHost = {
    write: (text) => void (shown.text += text),
    close: (code) => void (shown.closedWith = code),
    failed: (err) => void shown.failures.push(err),
  };
  const session = new TerminalSession(async ({ size, attempt, status, signal }) => {
    const { channel } = await c.openShell(
      { instance: ref(instance), port: instance.port, refresh: attempt > 0, signal, onConnecting: (t) => status(`Connecting to ${t.osUser}@${t.host} (${t.instance.instanceId})…`) },
      size,
    );
    return channel;
  }, host);
  return { shown, session };
}

test('connect and run whoami: the pushed key logs in as the image default user; the exit status comes back', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const c = connector();
  const { channel, target } = await c.exec({ instance: ref(web), port: web.port }, 'whoami');
  assert.deepEqual(await finished(channel), { stdout: 'ec2-user\n', end: { kind: 'exit', code: 0, signal: undefined } });
  assert.equal(target.host, web.host);
  assert.equal(target.addressKind, 'public IPv4');

  const { channel: failing } = await c.exec({ instance: ref(web), port: web.port }, 'echo partial; exit 42');
  assert.deepEqual(await finished(failing), { stdout: 'partial\n', end: { kind: 'exit', code: 42, signal: undefined } });
});

test('a terminal: prompt, stty size follows a resize, and exit closes it with the exit code', async () => {
  const api = instanceNamed(sandbox, 'api-staging');
  const { shown, session } = terminal(connector(), api);
  session.open({ cols: 80, rows: 24 });
  await waitFor(() => /\$ $/.test(shown.text), 'the prompt');
  assert.ok(shown.text.startsWith(`Connecting to ubuntu@${api.host} (${api.instanceId})…\r\n`), JSON.stringify(shown.text.slice(0, 120)));
  session.input('stty size\r');
  await waitFor(() => hasLine(shown.text, '24 80'), 'stty size 24 80');
  session.resize({ cols: 132, rows: 43 });
  session.input('stty size; echo $TERM\r');
  await waitFor(() => hasLine(shown.text, '43 132') && hasLine(shown.text, 'xterm-256color'), 'stty size 43 132 after the resize');
  session.input('exit 7\r');
  await waitFor(() => shown.closedWith !== 'open', 'the terminal to close');
  assert.equal(shown.closedWith, 7);
  assert.deepEqual(shown.failures, []);
});

test('a changed host key stops the connection with both fingerprints; trusting the new one lets it through', async () => {
  const fedora = instanceNamed(sandbox, 'fedora-dev');
  const store = new MemoryStore();
  const c = connector({ store });
  await finished((await c.exec({ instance: ref(fedora), port: fedora.port }, 'true')).channel);
  const real = c.hostKeys.get(fedora.instanceId);
  assert.match(real?.fingerprint ?? '', /^SHA256:[A-Za-z0-9+/]{43}$/);

  await c.hostKeys.trust(fedora.instanceId, { fingerprint: 'SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA', type: 'ed25519' });
  await assert.rejects(c.exec({ instance: ref(fedora), port: fedora.port }, 'true'), (err: unknown) => {
    assert.ok(isProductError(err, 'hostKeyChanged'), String(err));
    assert.ok(err.message.includes('SHA256:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA') && err.message.includes(real!.fingerprint));
    assert.equal(err.facts.presentedFingerprint, real!.fingerprint);
    return true;
  });
  await c.hostKeys.trust(fedora.instanceId, { fingerprint: String(real!.fingerprint), type: real!.type });
  assert.equal((await finished((await c.exec({ instance: ref(fedora), port: fedora.port }, 'whoami')).channel)).stdout, 'fedora\n');
});

test('with a key window that closed before the login, the key is pushed again exactly once and the login succeeds', async () => {
  const eu = instanceNamed(sandbox, 'eu-web-1');
  const before = pushesTo(eu);
  sandbox.setKeyWindow(0);
  onApiCall = (line) => {
    // The first push expires at once; the next one gets the usual minute.
    if (line.includes(`SendSSHPublicKey ${eu.instanceId} → 200`)) sandbox.setKeyWindow(60);
  };
  const { channel } = await connector().exec({ instance: ref(eu), port: eu.port }, 'whoami');
  assert.equal((await finished(channel)).stdout, 'admin\n');
  assert.equal(pushesTo(eu) - before, 2);
});

test('a key refused also after the second push: authRefused naming the user, after exactly two pushes', async () => {
  const eu = instanceNamed(sandbox, 'eu-web-1');
  const before = pushesTo(eu);
  sandbox.setKeyWindow(0);
  await assert.rejects(connector().exec({ instance: ref(eu), port: eu.port }, 'whoami'), (err: unknown) => {
    assert.ok(isProductError(err, 'authRefused'), String(err));
    assert.match(err.message, /eu-web-1 \(i-[0-9a-f]+\) in eu-west-1 refused the key pushed for the user "admin" \(guessed from its image\), also after the key was pushed a second time/);
    return true;
  });
  assert.equal(pushesTo(eu) - before, 2);
});

test('a dropped connection (dropSsh) reaches the reconnect state; Enter pushes a fresh key and reconnects', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const { shown, session } = terminal(connector(), web);
  session.open({ cols: 80, rows: 24 });
  await waitFor(() => /\$ $/.test(shown.text), 'the prompt');
  const pushes = pushesTo(web);
  await sandbox.injectFault({ dropSsh: web.instanceId });
  await waitFor(() => session.state === 'disconnected', 'the reconnect state');
  assert.match(shown.text, new RegExp(`The connection to web-prod-1 \\(${web.instanceId}\\) in us-east-1 at ${web.host.replace(/\./g, '\\.')} port ${web.port} was lost: [^\\r]+\\.\\r\\nPress Enter to reconnect, or close this terminal\\.\\r\\n$`));
  assert.equal(shown.closedWith, 'open');
  await sandbox.clearFaults();

  const before = shown.text.length;
  session.input('\r');
  await waitFor(() => /\$ $/.test(shown.text.slice(before)), 'a new prompt');
  assert.equal(pushesTo(web), pushes + 1);
  session.input('whoami\r');
  await waitFor(() => hasLine(shown.text.slice(before), 'ec2-user'), 'whoami after the reconnect');
  session.close();
});

test('several terminals at once, to the same and to different instances', async () => {
  const c = connector();
  const web = instanceNamed(sandbox, 'web-prod-1');
  const api = instanceNamed(sandbox, 'api-staging');
  const terminals = [terminal(c, web), terminal(c, web), terminal(c, api)];
  for (const t of terminals) t.session.open({ cols: 80, rows: 24 });
  await waitFor(() => terminals.every((t) => /\$ $/.test(t.shown.text)), 'three prompts');
  terminals.forEach((t, i) => t.session.input(`echo terminal-$((${i} + 40))\r`));
  await waitFor(() => terminals.every((t, i) => hasLine(t.shown.text, `terminal-${i + 40}`)), 'each its own output');
  assert.ok(!hasLine(terminals[0].shown.text, 'terminal-41'), 'no output crosses terminals');
  terminals[0].session.input('exit 3\r');
  await waitFor(() => terminals[0].shown.closedWith === 3, 'the first to exit');
  terminals[1].session.input('whoami\r');
  await waitFor(() => hasLine(terminals[1].shown.text, 'ec2-user'), 'the second still working');
  terminals.slice(1).forEach((t) => t.session.close());
});

test("the OS user of each image family in the sandbox is detected from DescribeImages, and logs in", { skip: process.getuid?.() !== 0 && 'as non-root the sandbox serves every instance as the current user' }, async () => {
  const c = connector();
  const linux = sandbox.manifest.instances.filter((i) => i.state === 'running' && !i.platform && i.publicIp !== null);
  assert.ok(linux.length >= 6, `${linux.length} running Linux instances`);
  for (const instance of linux) {
    const target = await c.resolveTarget({ instance: ref(instance) });
    assert.equal(target.osUser, instance.osUser, instance.name);
    assert.equal(target.osUserSource, 'detected');
    const { channel } = await c.exec({ instance: ref(instance), port: instance.port }, 'whoami');
    assert.equal((await finished(channel)).stdout, `${instance.osUser}\n`, instance.name);
  }
});

test('what cannot be connected to says why: Windows, stopped, a private address this computer cannot reach', async () => {
  const c = connector();
  const windows = sandbox.manifest.instances.find((i) => i.platform === 'windows')!;
  await assert.rejects(c.resolveTarget({ instance: ref(windows) }), (err: unknown) => isProductError(err, 'windowsUnsupported'));
  const stopped = instanceNamed(sandbox, 'batch-worker');
  await assert.rejects(c.resolveTarget({ instance: ref(stopped) }), (err: unknown) => isProductError(err, 'instanceNotRunning') && /is stopped/.test(err.message));
  // Straight to the private address (the old usePrivateAddress): refused here, as off a VPN; the endpoint is the way (eice.test.ts).
  const internal = instanceNamed(sandbox, 'db-internal');
  const viaPrivate = connector({ settings: { connectionType: 'direct' } });
  const target = await viaPrivate.resolveTarget({ instance: ref(internal) });
  assert.equal(target.addressKind, 'private IPv4');
  assert.equal(target.host, internal.privateIp);
  await assert.rejects(viaPrivate.exec({ instance: ref(internal), port: internal.port }, 'whoami'), (err: unknown) => isProductError(err, 'unreachable'));
});

test('nothing secret reaches the log: no private key, no secret access key, no session token', async () => {
  const memory = recordingLog();
  const lines = memory.lines;
  const token = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKENdoNotLogMe0123456789abcdef';
  process.env.AWS_SESSION_TOKEN = token;
  try {
    const web = instanceNamed(sandbox, 'web-prod-1');
    const privateKeys: string[] = [];
    class RecordingKeys extends KeyFactory {
      override generate(setting?: KeyTypeSetting): KeyPair {
        const pair = super.generate(setting);
        privateKeys.push(pair.privateKey);
        return pair;
      }
    }
    const c = connector({ log: memory, keys: new RecordingKeys() });
    const { channel } = await c.exec({ instance: ref(web), port: web.port }, 'whoami');
    assert.equal((await finished(channel)).stdout, 'ec2-user\n');
    sandbox.setKeyWindow(0);
    await assert.rejects(c.exec({ instance: ref(web), port: web.port }, 'whoami'));

    const log = lines.join('\n');
    assert.ok(lines.length >= 8, `the trace holds the steps (${lines.length} lines)`);
    assert.equal(privateKeys.length, 2);
    for (const key of privateKeys) {
      const body = key.split('\n').filter((line) => line && !line.startsWith('-----'));
      for (const line of body) assert.ok(!log.includes(line), 'a line of a private key is in the log');
    }
    assert.doesNotMatch(log, /PRIVATE KEY/);
    assert.ok(!log.includes(sandbox.manifest.credentials.secretAccessKey), 'the secret access key is in the log');
    assert.ok(!log.includes(token), 'the session token is in the log');
  } finally {
    delete process.env.AWS_SESSION_TOKEN;
  }
});

test('the CLI: ec2ic ssh <id> -- whoami prints the user and exits 0; the exit status propagates; failures exit 1 with the message', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const env = { ...process.env, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'ec2ic-cli-')) };
  const cli = (...args: string[]) =>
    run(process.execPath, ['dist/cli.js', 'ssh', web.instanceId, '--region', web.region, '--port', String(web.port), ...args], { env }).then(
      ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
      (err: { code: number; stdout: string; stderr: string }) => ({ code: err.code, stdout: err.stdout, stderr: err.stderr }),
    );

  assert.deepEqual(await cli('--', 'whoami'), { code: 0, stdout: 'ec2-user\n', stderr: '' });
  const failing = await cli('--', 'echo out; echo err >&2; exit 9');
  assert.deepEqual(failing, { code: 9, stdout: 'out\n', stderr: 'err\n' });

  const wrongUser = await cli('--user', 'nobody-here', '--', 'whoami');
  assert.equal(wrongUser.code, 1);
  assert.match(wrongUser.stderr, /^ec2ic: web-prod-1 \(i-[0-9a-f]+\) in us-east-1 refused the key pushed for the user "nobody-here", also after the key was pushed a second time\..* Pass --user to log in as another user\.\n$/s);

  const stopped = instanceNamed(sandbox, 'batch-worker');
  const stoppedRun = await run(process.execPath, ['dist/cli.js', 'ssh', stopped.instanceId, '--region', stopped.region, '--', 'true'], { env }).catch((err: { code: number; stderr: string }) => err);
  assert.equal((stoppedRun as { code: number }).code, 1);
  assert.match((stoppedRun as { stderr: string }).stderr, /batch-worker \(i-[0-9a-f]+\) in us-east-1 is stopped\. Start it, then connect\./);

  const { stdout: help } = await run(process.execPath, ['dist/cli.js', 'ssh', '--help'], { env });
  assert.match(help, /^Usage: ec2ic ssh <instance-id> \[--user U\] \[--region R\] \[--profile P\] \[--port N\]\n\s+\[--connection-type auto\|direct\|privateAddress\|eice\] \[--eice-id ID\] \[--endpoint URL\]\n\s+\[--connect-timeout S\] \[-- command…\]/);
});

test("the CLI's messages name its own options, never the editor's settings, and it takes what they name", async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const env = { ...process.env, XDG_CONFIG_HOME: mkdtempSync(join(tmpdir(), 'ec2ic-cli-')) };
  const cli = (...args: string[]) =>
    run(process.execPath, ['dist/cli.js', 'ssh', web.instanceId, '--region', web.region, ...args], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
  // Nothing listens on port 2 of the instance's address.
  const refused = await cli('--port', '2', '--connect-timeout', '5', '--', 'true');
  assert.equal(refused.code, 1);
  assert.match(refused.stderr, /refused the connection at .* port 2 .*listens on another port \(option --port\)/);
  assert.doesNotMatch(refused.stderr, /ec2InstanceConnect\./);
  // The custom endpoint the messages name is an option of ssh too, as of proxy.
  const ok = await cli('--port', String(web.port), '--endpoint', sandbox.manifest.endpoint, '--', 'true');
  assert.equal(ok.code, 0, ok.stderr);
});

test('a slow AWS API is not blamed on the instance: the push waits without the handshake\'s deadline, and its own is named', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const instance = await connector().resolveInstance(ref(web));
  // Every API call takes 3 s, more than the 2-second connect timeout: the handshake is quick, the push slow.
  await sandbox.injectFault({ latencyMs: 3000 });
  const slowApi = connector({ settings: { connectTimeoutSeconds: 2 } });
  const { channel } = await slowApi.exec({ instance, osUser: web.osUser, port: web.port }, 'whoami');
  assert.equal((await finished(channel)).stdout, `${web.osUser}\n`);

  // A push past its own deadline: said as AWS's slowness, with the API's name, not as the instance's.
  const impatient = connector({ settings: { connectTimeoutSeconds: 2 }, deadlines: { pushSeconds: 1 } });
  await assert.rejects(impatient.exec({ instance, osUser: web.osUser, port: web.port }, 'whoami'), (err: unknown) => {
    assert.ok(isProductError(err, 'timeout'), String(err));
    assert.equal(err.facts.stage, 'push');
    assert.match(err.message, /AWS did not answer the key push for web-prod-1 \(i-[0-9a-f]+\) in us-east-1 \(EC2 Instance Connect SendSSHPublicKey\) within 1 seconds/);
    assert.match(err.message, /The instance was not the problem/);
    assert.doesNotMatch(err.message, /overloaded|handshake/);
    return true;
  });
});
