import assert from 'node:assert/strict';
import { test } from 'node:test';

import { activationBundleProblems, commandsOnlySources, notInProxyBundle, sourcesUnder } from '../../scripts/activation-bundle.mjs';

const input = (...imports: string[]) => ({ imports: imports.map((path) => ({ path })) });

test('the activation bundle check names each heavy package a source file imports, and passes a clean bundle', () => {
  const clean = { inputs: { 'src/editor/extension.ts': input('src/core/load.ts'), 'src/core/load.ts': input() } };
  assert.deepEqual(activationBundleProblems(clean), []);

  const heavy = {
    inputs: {
      'src/editor/extension.ts': input('src/editor/tree/view.ts'),
      'src/editor/tree/view.ts': input('node_modules/@aws-sdk/client-ec2/dist-cjs/index.js', 'node_modules/ssh2/lib/index.js'),
      'node_modules/@aws-sdk/client-ec2/dist-cjs/index.js': input('node_modules/@smithy/core/dist-cjs/index.js'),
      'node_modules/@smithy/core/dist-cjs/index.js': input(),
      'node_modules/ssh2/lib/index.js': input(),
    },
  };
  assert.deepEqual(activationBundleProblems(heavy), ['@aws-sdk/client-ec2 (imported by src/editor/tree/view.ts)', 'ssh2 (imported by src/editor/tree/view.ts)']);

  const indirect = { inputs: { 'src/editor/extension.ts': input('node_modules/tiny/index.js'), 'node_modules/tiny/index.js': input('node_modules/sshpk/lib/index.js'), 'node_modules/sshpk/lib/index.js': input() } };
  assert.deepEqual(activationBundleProblems(indirect), ['sshpk (through another package)']);
});

test('the same check with another list: dist/proxy.js may hold the AWS SDK, never ssh2', () => {
  const proxy = {
    inputs: {
      'src/core/proxyCore.ts': input('src/core/connect/proxySteps.ts'),
      'src/core/connect/proxySteps.ts': input('node_modules/@aws-sdk/client-ec2/dist-es/index.js', 'src/core/ssh/session.ts'),
      'src/core/ssh/session.ts': input('node_modules/ssh2/lib/index.js'),
      'node_modules/@aws-sdk/client-ec2/dist-es/index.js': input(),
      'node_modules/ssh2/lib/index.js': input(),
    },
  };
  assert.deepEqual(activationBundleProblems(proxy, notInProxyBundle), ['ssh2 (imported by src/core/ssh/session.ts)']);
  assert.deepEqual(activationBundleProblems({ inputs: { 'src/core/proxyCore.ts': input('node_modules/@aws-sdk/client-ec2/dist-es/index.js') } }, notInProxyBundle), []);
});

test("the activation bundle check also names our files that only a command runs (they belong in dist/commands.js)", () => {
  const metafile = {
    inputs: {
      'src/editor/extension.ts': input('src/editor/commands/registry.ts'),
      'src/editor/commands/registry.ts': input('src/editor/failures/notify.ts'),
      'src/editor/failures/notify.ts': input(),
      'src/editor/tree/instancesView.ts': input(),
      'node_modules/tiny/src/editor/commands/x.js': input(),
    },
  };
  assert.deepEqual(sourcesUnder(metafile, commandsOnlySources), ['src/editor/commands/registry.ts', 'src/editor/failures/notify.ts']);
  assert.deepEqual(sourcesUnder({ inputs: { 'src/editor/extension.ts': input(), 'src/editor/loadCommands.ts': input() } }, commandsOnlySources), []);
});
