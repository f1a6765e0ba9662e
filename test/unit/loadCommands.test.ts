import assert from 'node:assert/strict';
import { test } from 'node:test';

import { loadCommands } from '../../src/editor/loadCommands';
import { commandIds } from '../../src/editor/services/commandIds';
import { fakeServices } from '../fakes/fakeServices';

test('loadCommands returns the same commands module every time, and runs a command by the id the extension registered', async () => {
  const first = loadCommands();
  assert.equal(loadCommands(), first);
  assert.equal(typeof first.restoreForwards, 'function');
  assert.equal(typeof first.offerSaveAsRoot, 'function');

  const { services } = fakeServices();
  let shown = 0;
  services.showLog = () => void shown++;
  await first.runCommandById(services, commandIds.showLog, []);
  assert.equal(shown, 1);
});
