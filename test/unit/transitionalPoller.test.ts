import assert from 'node:assert/strict';
import { test } from 'node:test';

import { TransitionalPoller } from '../../src/core/inventory/transitionalPoller';

/** An inventory with `left` transitional instances: each poll settles one of them. Polls can be held open. */
function inventory(left: number) {
  const state = { left, polls: 0, aborted: 0, hold: false };
  let release: (() => void) | undefined;
  return {
    state,
    release: () => release?.(),
    transitional: () => (state.left > 0 ? [{ target: { region: 'us-east-1' }, instanceIds: ['i-00000001'] }] : []),
    refreshTransitional: async (signal?: AbortSignal) => {
      state.polls++;
      if (state.hold) {
        await new Promise<void>((resolve) => {
          release = resolve;
          signal?.addEventListener('abort', () => {
            state.aborted++;
            resolve();
          });
        });
      }
      if (!signal?.aborted) state.left--;
    },
  };
}

test('the poller polls only while the view is visible: once per interval until nothing is transitional; hiding stops it, showing resumes it, dispose ends it', async (t) => {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const tick = async (ms: number) => {
    t.mock.timers.tick(ms);
    for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
  };
  const model = inventory(3);
  const poller = new TransitionalPoller(model, () => 2);

  poller.schedule();
  await tick(10_000);
  assert.equal(model.state.polls, 0, 'nothing while the view is hidden');

  poller.setVisible(true);
  poller.schedule();
  poller.schedule();
  await tick(1999);
  assert.equal(model.state.polls, 0, 'the first poll waits one interval');
  await tick(1);
  assert.equal(model.state.polls, 1, 'many schedules make one poll');

  poller.setVisible(false);
  await tick(10_000);
  assert.equal(model.state.polls, 1, 'hidden: no more polls');

  model.state.hold = true;
  poller.setVisible(true);
  await tick(2000);
  assert.equal(model.state.polls, 2);
  poller.setVisible(false);
  await tick(0);
  assert.equal(model.state.aborted, 1, 'hiding aborts the poll in flight');
  assert.equal(model.state.left, 2, 'and its answer is not used');

  model.state.hold = false;
  poller.setVisible(true);
  await tick(2000);
  await tick(2000);
  assert.equal(model.state.polls, 4);
  assert.equal(model.state.left, 0);
  await tick(20_000);
  assert.equal(model.state.polls, 4, 'nothing once everything settled');

  model.state.left = 5;
  poller.schedule();
  poller.dispose();
  await tick(20_000);
  assert.equal(model.state.polls, 4, 'nothing after dispose');
});
