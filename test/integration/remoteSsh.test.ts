// The Remote-SSH handoff against the sandbox with real OpenSSH: the files the command writes, read by
// /usr/bin/ssh, whose ProxyCommand runs the built CLI (dist/cli.js, copied as the extension copies it).
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, test } from 'node:test';
import { promisify } from 'node:util';

import { type Sandbox, type SandboxInstance, startSandbox } from '../../sandbox';
import { instanceNamed, sleep } from '../../sandbox/test/helpers';
import { type HandoffFiles, handoffFiles, handoffKeyPair, writeHandoff } from '../../src/core/remote/handoff';
import { hostAlias, type HostEntry } from '../../src/core/remote/hostEntry';
import type { ProxyRuntime } from '../../src/core/remote/proxyCommand';
import { ensureInclude } from '../../src/core/remote/sshConfigFile';

const run = promisify(execFile);
const dist = resolve(__dirname, '..', '..', 'dist');
let sandbox: Sandbox;
let work: string;
let files: HandoffFiles;
let userConfig: string;
let knownHosts: string;

const generateKey = handoffKeyPair;

/** The environment ssh runs in: the sandbox's credentials (and endpoint, unless the host entry names it), nothing else from AWS. */
function sshEnv(options: { endpointInEnv?: boolean } = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: work, ...sandbox.env };
  if (options.endpointInEnv === false) delete env.AWS_ENDPOINT_URL;
  return env;
}

/** As the editor writes it: the runtime runs the copied CLI with ELECTRON_RUN_AS_NODE=1 set by `env` (node ignores it). */
function editorRuntime(): ProxyRuntime {
  return { executable: process.execPath, electron: true, cliScript: files.cliCopy };
}

function entryFor(instance: SandboxInstance): HostEntry {
  return { instanceId: instance.instanceId, name: instance.name, region: instance.region, user: instance.osUser, port: instance.port };
}

async function ssh(config: string, alias: string, command: string, env = sshEnv()): Promise<{ code: number; stdout: string; stderr: string }> {
  const args = ['-F', config, '-o', `UserKnownHostsFile="${knownHosts.replace(/%/g, '%%')}"`, '-o', 'StrictHostKeyChecking=accept-new', '-o', 'BatchMode=yes', alias, command];
  try {
    const { stdout, stderr } = await run('/usr/bin/ssh', args, { env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

before(async () => {
  sandbox = await startSandbox();
  // Spaces and a percent sign in every path the config names, as on macOS ("Application Support").
  work = await fs.mkdtemp(join(tmpdir(), 'ec2ic remote 100% '));
  files = handoffFiles(join(work, 'Application Support', 'globalStorage', 'remote-ssh'));
  userConfig = join(work, '.ssh', 'config');
  knownHosts = join(work, 'known_hosts');
  await fs.mkdir(join(work, '.ssh'), { mode: 0o700 });
  await fs.writeFile(userConfig, 'Host *\n  ServerAliveInterval 30\n', { mode: 0o600 });
  const include = await ensureInclude(userConfig, files.hostFile, { platform: process.platform, home: work, confirm: async () => true });
  assert.equal(include.outcome, 'added');
});

after(async () => {
  await sandbox?.stop();
  if (work) await fs.rm(work, { recursive: true, force: true });
});

test('ssh <alias> whoami through the user config, its Include, the host entry and the proxy prints the user', async () => {
  // The endpoint comes from the editor's setting, written into the entry: not from the environment.
  const web = instanceNamed(sandbox, 'web-prod-1');
  const block = await writeHandoff({ files, entry: { ...entryFor(web), endpoint: sandbox.manifest.endpoint }, runtime: editorRuntime(), platform: process.platform, generateKey, bundleDir: dist });
  assert.equal(block.alias, hostAlias(web.instanceId, 'web-prod-1'));
  const result = await ssh(userConfig, block.alias, 'whoami', sshEnv({ endpointInEnv: false }));
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), web.osUser);
  // The host key is remembered under the instance id (HostName), which survives address changes.
  assert.match(await fs.readFile(knownHosts, 'utf8'), new RegExp(`^${web.instanceId} ssh-ed25519 `, 'm'));
});

test('after the key window has passed, a new connection still works: each one pushes the key again', async () => {
  const api = instanceNamed(sandbox, 'api-staging');
  const block = await writeHandoff({ files, entry: entryFor(api), runtime: editorRuntime(), platform: process.platform, generateKey, bundleDir: dist });
  sandbox.setKeyWindow(2);
  try {
    const first = await ssh(userConfig, block.alias, 'whoami');
    assert.equal(first.stdout.trim(), api.osUser, first.stderr);
    await sleep(2500);
    const second = await ssh(userConfig, block.alias, 'whoami');
    assert.equal(second.code, 0, second.stderr);
    assert.equal(second.stdout.trim(), api.osUser);
  } finally {
    sandbox.setKeyWindow(60);
  }
});

test('a stopped instance: the proxy exits non-zero with the product message, and ssh shows it', async () => {
  const stopped = instanceNamed(sandbox, 'batch-worker');
  const block = await writeHandoff({ files, entry: entryFor(stopped), runtime: editorRuntime(), platform: process.platform, generateKey, bundleDir: dist });
  const viaSsh = await ssh(userConfig, block.alias, 'whoami');
  assert.notEqual(viaSsh.code, 0);
  assert.match(viaSsh.stderr, new RegExp(`ec2ic: batch-worker \\(${stopped.instanceId}\\) in ${stopped.region} is stopped\\. Start it`));

  const direct = await run(process.execPath, [join(dist, 'cli.js'), 'proxy', stopped.instanceId, '--user', stopped.osUser, '--region', stopped.region, '--public-key', files.keys.publicKey], { env: sshEnv() }).then(
    () => assert.fail('the proxy succeeded'),
    (err: { code?: number; stderr?: string; stdout?: string }) => err,
  );
  assert.equal(direct.code, 1);
  assert.equal(direct.stdout, '');
  assert.match(direct.stderr ?? '', /^ec2ic: batch-worker \(i-[0-9a-f]+\) in [a-z0-9-]+ is stopped\. Start it, then connect\.\n$/);
});

test('ec2ic ssh-config prints a block that ssh uses as it is, with the CLI\'s own key pair', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const configHome = join(work, 'xdg config');
  const { stdout } = await run(process.execPath, [join(dist, 'cli.js'), 'ssh-config', web.instanceId, '--region', web.region, '--user', web.osUser], {
    env: { ...sshEnv(), XDG_CONFIG_HOME: configHome },
  });
  assert.match(stdout, /^Host ec2-web-prod-1-i-/m);
  const keyDir = join(configHome, 'ec2ic');
  assert.equal((await fs.stat(keyDir)).mode & 0o777, 0o700);
  assert.equal((await fs.stat(join(keyDir, 'id_ed25519'))).mode & 0o777, 0o600);
  const config = join(work, 'printed-config');
  await fs.writeFile(config, stdout, { mode: 0o600 });
  const result = await ssh(config, hostAlias(web.instanceId, 'web-prod-1'), 'whoami');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), web.osUser);
});

/** ec2ic as a user runs it against the sandbox, with its own config directory; never throws. */
async function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [join(dist, 'cli.js'), ...args], { env, timeout: 30_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

test("ec2ic ssh-config --write, with a user config whose 'Host *' sets User alice: ssh logs in as the instance's user", async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const home = join(work, 'home with alice');
  const config = join(home, '.ssh', 'config');
  await fs.mkdir(join(home, '.ssh'), { recursive: true, mode: 0o700 });
  const mine = 'Host *\n  User alice\n  ServerAliveInterval 30\n';
  await fs.writeFile(config, mine, { mode: 0o600 });
  const env = { ...sshEnv(), HOME: home, XDG_CONFIG_HOME: join(home, '.config') };

  const written = await cli(['ssh-config', web.instanceId, '--region', web.region, '--user', web.osUser, '--write', '--ssh-config', config], env);
  assert.equal(written.code, 0, written.stderr);
  const alias = hostAlias(web.instanceId, 'web-prod-1');
  assert.match(written.stdout, new RegExp(`^Connect with: ssh ${alias}$`, 'm'));
  // The user's lines are all still there, below ours; the file as it was is kept.
  const text = await fs.readFile(config, 'utf8');
  assert.ok(text.startsWith('# Added by EC2 Instance Connect') && text.endsWith(`\n${mine}`), text);
  assert.equal(await fs.readFile(`${config}.before-ec2ic`, 'utf8'), mine);

  const result = await ssh(config, alias, 'whoami');
  assert.equal(result.code, 0, result.stderr);
  assert.equal(result.stdout.trim(), web.osUser);

  // Again: the Include is there already, the block is rewritten in place, the backup stays the original.
  const again = await cli(['ssh-config', web.instanceId, '--region', web.region, '--user', web.osUser, '--write', '--ssh-config', config], env);
  assert.equal(again.code, 0, again.stderr);
  assert.match(again.stdout, /already includes it/);
  assert.equal(await fs.readFile(config, 'utf8'), text);
  assert.equal((await fs.readFile(join(home, '.config', 'ec2ic', 'config'), 'utf8')).match(/^Host /gm)?.length, 1);
});

test('ec2ic ssh-config for a stopped instance: the entry, with a note on stderr that says it is stopped', async () => {
  const stopped = instanceNamed(sandbox, 'batch-worker');
  const result = await cli(['ssh-config', stopped.instanceId, '--region', stopped.region, '--user', stopped.osUser], { ...sshEnv(), XDG_CONFIG_HOME: join(work, 'xdg stopped') });
  assert.equal(result.code, 0, result.stderr);
  assert.match(result.stdout, new RegExp(`^Host ${hostAlias(stopped.instanceId, 'batch-worker')}$`, 'm'));
  assert.match(result.stderr, /^ec2ic: note: batch-worker \(i-[0-9a-f]+\) in [a-z0-9-]+ is stopped\. Start it/m);
});

test('ec2ic ssh-config with a config directory ssh cannot name (${): refused before any key is created', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const configHome = join(work, 'xdg ${HOME}');
  const result = await cli(['ssh-config', web.instanceId, '--region', web.region, '--user', web.osUser], { ...sshEnv(), XDG_CONFIG_HOME: configHome });
  assert.equal(result.code, 1);
  assert.match(result.stderr, /The key file path cannot contain "\$\{"/);
  assert.equal(result.stdout, '');
  await assert.rejects(fs.stat(configHome), { code: 'ENOENT' });
});
