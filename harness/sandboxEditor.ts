/**
 * An editor pointed at the sandbox: the packaged extension installed into code-server, whose
 * environment and settings lead every AWS call to the sandbox. Shared by `npm start` and the e2e tests.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import type { Sandbox } from '../sandbox/index';
import {
  ensureCodeServer,
  installExtension,
  projectRoot,
  type RunningCodeServer,
  startCodeServer,
} from './codeServer';

export const vsixPath = join(projectRoot, 'ec2-instance-connect.vsix');

/** `npm run package`: the same .vsix a user installs. */
export function packageExtension(): string {
  const result = spawnSync('npm', ['run', '--silent', 'package'], { cwd: projectRoot, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`npm run package failed:\n${result.stdout}\n${result.stderr}`);
  return vsixPath;
}

/** The settings that point the extension at the sandbox. */
export function sandboxSettings(sandbox: Sandbox): Record<string, unknown> {
  const { manifest } = sandbox;
  const port = manifest.instances.find((i) => i.port)?.port ?? 22;
  return {
    'ec2InstanceConnect.endpoint': manifest.endpoint,
    'ec2InstanceConnect.regions': manifest.regions,
    'ec2InstanceConnect.port': port,
    'ec2InstanceConnect.serialConsole.endpoint': manifest.serialConsole.host,
    'ec2InstanceConnect.serialConsole.port': manifest.serialConsole.port,
    'ec2InstanceConnect.serialConsole.fingerprint': manifest.serialConsole.fingerprint,
  };
}

/**
 * A home of its own for the editor: an ~/.aws with one "sandbox" profile holding the sandbox's
 * credentials, and no ~/.ssh of the real user's to edit.
 */
export function sandboxHome(dir: string, sandbox: Sandbox): Record<string, string> {
  const home = join(dir, 'home');
  const aws = join(home, '.aws');
  mkdirSync(aws, { recursive: true });
  const { credentials, regions } = sandbox.manifest;
  writeFileSync(join(aws, 'config'), `[profile sandbox]\nregion = ${regions[0]}\n`);
  writeFileSync(
    join(aws, 'credentials'),
    `[sandbox]\naws_access_key_id = ${credentials.accessKeyId}\naws_secret_access_key = ${credentials.secretAccessKey}\n`,
    { mode: 0o600 },
  );
  return {
    HOME: home,
    AWS_CONFIG_FILE: join(aws, 'config'),
    AWS_SHARED_CREDENTIALS_FILE: join(aws, 'credentials'),
    AWS_PROFILE: '',
    AWS_ACCESS_KEY_ID: '',
    AWS_SECRET_ACCESS_KEY: '',
    AWS_SESSION_TOKEN: '',
    AWS_REGION: '',
    AWS_DEFAULT_REGION: '',
    AWS_ENDPOINT_URL: sandbox.manifest.endpoint,
    // The sandbox's Instance Connect Endpoints are TLS servers with certificates from its own CA, trusted the way
    // a user trusts a TLS-intercepting proxy's: Node reads this when the editor (and its extension host) starts.
    NODE_EXTRA_CA_CERTS: sandbox.manifest.caFile,
  };
}

export interface SandboxEditorOptions {
  sandbox: Sandbox;
  /** Where the editor's profile lives; wiped first. */
  dir: string;
  vsix?: string;
  port?: number;
  settings?: Record<string, unknown>;
  /** Other .vsix files to install beside the extension's. */
  extraExtensions?: string[];
  /** Extra environment for the editor (and so its extension host). */
  env?: Record<string, string>;
  log?: (line: string) => void;
}

export async function startSandboxEditor(options: SandboxEditorOptions): Promise<RunningCodeServer> {
  const bin = ensureCodeServer(options.log);
  rmSync(options.dir, { recursive: true, force: true });
  mkdirSync(options.dir, { recursive: true });
  const extensionsDir = join(options.dir, 'extensions');
  installExtension(bin, options.vsix ?? vsixPath, extensionsDir);
  for (const extra of options.extraExtensions ?? []) installExtension(bin, extra, extensionsDir);
  return startCodeServer({
    bin,
    port: options.port,
    env: { ...sandboxHome(options.dir, options.sandbox), ...options.env },
    profile: { dir: options.dir, settings: { ...sandboxSettings(options.sandbox), ...options.settings } },
  });
}
