import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadCore } from '../../src/core/load';

test('loadCore returns the same core module every time, with the AWS clients in it', () => {
  const first = loadCore();
  assert.equal(loadCore(), first);
  assert.equal(typeof first.AwsClients, 'function');
});
