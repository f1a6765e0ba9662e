import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadCore } from '../../src/loadCore';

test('loadCore returns the same core module every time', () => {
  const first = loadCore();
  assert.equal(loadCore(), first);
  assert.equal(typeof first.coreVersion, 'number');
});
