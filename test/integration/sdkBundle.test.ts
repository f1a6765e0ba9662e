// The SDK bundled as dist/core.js bundles it (scripts/esbuild-options.mjs: its ES module builds, tree-shaken, the
// schemas' computed keys made literal) reads every answer and every error the product meets as the SDK's own
// CommonJS builds do, against the sandbox.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';

import { build } from 'esbuild';

import { type Sandbox, startSandbox } from '../../sandbox';
import { nodeBundle } from '../../scripts/esbuild-options.mjs';
import { ed25519Pair } from '../fakes/keys';
import { type CallTargets, everyCall } from './sdkCalls';

let sandbox: Sandbox;
let dir: string;

before(async () => {
  sandbox = await startSandbox({ ssh: false });
  dir = mkdtempSync(join(tmpdir(), 'ec2ic-sdk-bundle-'));
});

after(async () => {
  await sandbox?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

test('every call reads the same from the bundled SDK as from its CommonJS builds: answers, modeled errors, service errors', async () => {
  const { manifest } = sandbox;
  const running = manifest.instances.find((i) => i.state === 'running' && !i.platform && i.serial);
  const xen = manifest.instances.find((i) => i.state === 'running' && !i.platform && !i.serial && i.region === running?.region);
  assert.ok(running && xen, 'the sandbox has a running Nitro and a running Xen Linux instance in one region');
  const targets: CallTargets = {
    endpoint: manifest.endpoint,
    region: running.region,
    credentials: manifest.credentials,
    running: { instanceId: running.instanceId, availabilityZone: running.availabilityZone, osUser: running.osUser },
    xen: xen.instanceId,
    publicKey: ed25519Pair().public,
  };
  const plain = await everyCall(targets);
  const imageId = ((plain.describeOne as { ok: { Reservations: { Instances: { ImageId: string }[] }[] } }).ok.Reservations[0].Instances[0]).ImageId;
  targets.running.imageId = imageId;
  const expected = await everyCall(targets);

  const bundle = join(dir, 'sdkCalls.js');
  await build({ ...nodeBundle, entryPoints: [join(__dirname, 'sdkCalls.ts')], outfile: bundle, minify: true, logLevel: 'error' });
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle just built, as the editor requires dist/core.js
  const bundled = (require(bundle) as { everyCall: typeof everyCall }).everyCall;
  const actual = await bundled(targets);

  assert.deepEqual(actual, expected);
  // The comparison covers what it should: answers with content, and errors of each kind.
  assert.ok(JSON.stringify(expected.describeInstances).includes(running.instanceId));
  assert.ok(JSON.stringify(expected.describeImages).includes(imageId));
  for (const name of ['describeMissing', 'stopMissing', 'pushWrongZone', 'pushMissing', 'pushSerialXen'] as const) assert.ok('error' in expected[name], `${name} fails`);
  assert.equal((expected.pushSerialXen as { error: { name: string } }).error.name, 'EC2InstanceTypeInvalidException');
  assert.equal((expected.describeMissing as { error: { name: string } }).error.name, 'InvalidInstanceID.NotFound');
});
