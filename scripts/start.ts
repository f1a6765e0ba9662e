/**
 * `npm start`: the extension against the local sandbox, in a real VS Code (code-server), no AWS account.
 * Builds and packages the extension, starts the sandbox, installs the .vsix into code-server (installed
 * into .cache on first use) and prints the URL. Ctrl-C stops all of it.
 */
import { join } from 'node:path';
import { parseArgs } from 'node:util';

import { cacheRoot } from '../harness/codeServer';
import { packageExtension, startSandboxEditor } from '../harness/sandboxEditor';
import { startSandbox } from '../sandbox/index';
import { ensureSystemPackages } from './system-deps.mjs';

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { port: { type: 'string', default: '8080' } }, strict: true });
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`--port ${values.port}: a port is a number from 1 to 65535`);
  ensureSystemPackages('start');

  console.log('Packaging the extension…');
  const vsix = packageExtension();
  console.log('Starting the sandbox…');
  const sandbox = await startSandbox({ log: (line) => console.log(`  sandbox: ${line}`) });
  let editor: Awaited<ReturnType<typeof startSandboxEditor>> | undefined;
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    console.log('\nStopping…');
    await editor?.stop();
    await sandbox.stop();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);

  try {
    editor = await startSandboxEditor({ sandbox, dir: join(cacheRoot, 'demo'), vsix, port, log: console.log });
  } catch (err) {
    console.error(err instanceof Error ? err.message : err);
    await sandbox.stop();
    process.exit(1);
  }
  const rows = sandbox.manifest.instances.map(
    (i) => `    ${i.name.padEnd(22)} ${i.instanceId}  ${i.region.padEnd(10)} ${i.state.padEnd(8)} ${i.osUser}`,
  );
  console.log(
    [
      '',
      `EC2 Instance Connect is running against the sandbox at ${editor.url}`,
      '',
      '  Open that URL in a browser, click the EC2 icon in the activity bar, right-click an instance → Connect.',
      `  Sandbox AWS endpoint: ${sandbox.manifest.endpoint} (profile "sandbox"; files under ${join(cacheRoot, 'demo', 'home')})`,
      '  Instances:',
      ...rows,
      '',
      '  Ctrl-C stops the editor and the sandbox.',
    ].join('\n'),
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
