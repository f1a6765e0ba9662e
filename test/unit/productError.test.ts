import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { silentLogger } from '../../src/core/base/log';
import { defaultSettings } from '../../src/core/base/settings';
import { MemoryStore } from '../../src/core/base/store';
import type * as Core from '../../src/core/core';
import { describeFailure } from '../../src/core/errors/describe';
import { isProductError } from '../../src/core/errors/productError';
import { instance } from '../fakes/sdkInstances';

test('a ProductError thrown in the built core bundle is recognized by the editor and CLI copies', async () => {
  // dist/core.js has its own copy of the class: instanceof would say no, and the message would lose its words.
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle, as the editor loads it
  const builtCore = require(join(__dirname, '../../dist/core.js')) as typeof Core;
  const connector = new builtCore.Connector({
    aws: () => assert.fail('no AWS call for a stopped instance'),
    store: new MemoryStore(),
    settings: () => defaultSettings,
    log: silentLogger,
  });
  const stopped = instance({ State: { Name: 'stopped' } }, { region: 'us-east-1' });
  await assert.rejects(connector.resolveTarget({ instance: stopped }), (err: unknown) => {
    assert.ok(isProductError(err, 'instanceNotRunning'));
    const report = describeFailure(err, { operation: 'connect', instanceId: stopped.instanceId, region: 'us-east-1', instanceState: 'stopped' });
    assert.equal(report.message, err.message);
    assert.deepEqual(report.actions, ['startInstance']);
    return true;
  });
});

test('errors that only look a little like one are not ProductErrors', () => {
  assert.equal(isProductError(Object.assign(new Error('x'), { name: 'ProductError' })), false);
  assert.equal(isProductError({ name: 'ProductError', kind: 'timeout', facts: {} }), false);
});
