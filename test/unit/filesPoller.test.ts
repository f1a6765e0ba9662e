// Changes made on the instance, found by looking: the poller over an in-memory instance, on Node's mock timers.
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';

import { silentLogger } from '../../src/core/base/log';
import type { FilesLocation } from '../../src/core/files/location';
import { FileOperations } from '../../src/editor/files/fileOperations';
import { instanceUri } from '../../src/editor/files/fileUri';
import type { FileChange } from '../../src/editor/services/services';
import { FakeRemoteFiles } from '../fakes/fakeRemoteFiles';

const location: FilesLocation = { instanceId: 'i-0123456789abcdef0', region: 'us-east-1', osUser: 'ec2-user' };
const uri = (path: string) => instanceUri(location, path);
const home = uri('/home/ec2-user');

/** A file system over a fake instance whose poller runs on mock timers; `seen()` is what it reported, as lines. */
function setup(t: TestContext, interval = 3) {
  t.mock.timers.enable({ apis: ['setTimeout'] });
  const remote = new FakeRemoteFiles();
  let seconds = interval;
  const reported: FileChange[] = [];
  const ops = new FileOperations({ filesAt: () => remote, pollIntervalSeconds: () => seconds, log: silentLogger });
  ops.onDidChange((changes) => reported.push(...changes));
  t.after(() => ops.dispose());
  return {
    remote,
    ops,
    poller: ops.poller,
    setInterval: (next: number) => (seconds = next),
    /** Moves the clock on, then lets the looks it started finish. */
    async advance(ms: number) {
      t.mock.timers.tick(ms);
      for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
    },
    seen: () => reported.splice(0).map((c) => `${c.type} ${c.uri.path}`),
    looks: () => remote.calls.splice(0).filter((call) => !call.startsWith('home')),
  };
}

test('nothing open, nothing watched: no timer runs and nothing is looked at', async (t) => {
  const { poller, advance, looks } = setup(t);
  assert.equal(poller.active, false);
  await advance(60_000);
  assert.deepEqual(looks(), []);
});

test('an open file: its stat every interval; a change made on the instance is Changed, a removal Deleted, a new one Created', async (t) => {
  const { remote, poller, advance, seen, looks } = setup(t);
  remote.put('/home/ec2-user/app.conf', 'port=80\n');
  poller.setOpenFiles([uri('/home/ec2-user/app.conf')]);
  assert.equal(poller.active, true);
  await advance(3000);
  assert.deepEqual(looks(), ['stat /home/ec2-user/app.conf'], 'the first look only records');
  assert.deepEqual(seen(), []);
  await advance(3000);
  assert.deepEqual(seen(), [], 'unchanged: nothing to report');

  remote.put('/home/ec2-user/app.conf', 'port=8080\n');
  await advance(2999);
  assert.deepEqual(seen(), [], 'not before the interval');
  await advance(1);
  assert.deepEqual(seen(), ['changed /home/ec2-user/app.conf']);

  remote.remove('/home/ec2-user/app.conf');
  await advance(3000);
  assert.deepEqual(seen(), ['deleted /home/ec2-user/app.conf']);
  remote.put('/home/ec2-user/app.conf', 'back\n');
  await advance(3000);
  assert.deepEqual(seen(), ['created /home/ec2-user/app.conf']);

  poller.setOpenFiles([]);
  assert.equal(poller.active, false, 'closed: the timer stops');
  looks();
  await advance(30_000);
  assert.deepEqual(looks(), []);
});

test('a watched folder and the folders the explorer expanded under it: what appears and disappears there', async (t) => {
  const { remote, ops, poller, advance, seen, looks } = setup(t);
  remote.put('/home/ec2-user/a.txt', 'a');
  remote.put('/home/ec2-user/src/main.c', 'int main;');
  remote.put('/srv/other/x', 'x');
  const stop = ops.watch(home, { recursive: true });
  // The explorer expands the home folder, then src, and (outside the watch) /srv/other.
  await ops.readDirectory(home);
  await ops.readDirectory(uri('/home/ec2-user/src'));
  await ops.readDirectory(uri('/srv/other'));
  looks();

  remote.put('/home/ec2-user/b.txt', 'b');
  remote.remove('/home/ec2-user/src/main.c');
  remote.put('/home/ec2-user/src/lib.c', 'int lib;');
  remote.put('/srv/other/y', 'y');
  await advance(3000);
  assert.deepEqual(looks().sort(), ['readDirectory /home/ec2-user', 'readDirectory /home/ec2-user/src'], 'only the watched tree, and only what was listed');
  assert.deepEqual(seen().sort(), ['created /home/ec2-user/b.txt', 'created /home/ec2-user/src/lib.c', 'deleted /home/ec2-user/src/main.c']);

  // The expanded folder goes away on the instance: reported once, then no longer looked at.
  remote.remove('/home/ec2-user/src');
  await advance(3000);
  assert.deepEqual(seen().sort(), ['deleted /home/ec2-user/src']);
  looks();
  await advance(3000);
  assert.deepEqual(looks(), ['readDirectory /home/ec2-user']);

  stop();
  assert.equal(poller.active, false, 'unwatched: the timer stops');
});

test("the file system's own changes are not reported again by the next look", async (t) => {
  const { ops, advance, seen } = setup(t);
  ops.watch(home, { recursive: true });
  await ops.readDirectory(home);
  await ops.writeFile(uri('/home/ec2-user/new.txt'), Buffer.from('n'), { create: true, overwrite: false });
  await ops.createDirectory(uri('/home/ec2-user/dir'));
  await ops.rename(uri('/home/ec2-user/new.txt'), uri('/home/ec2-user/dir2'), { overwrite: false });
  assert.deepEqual(seen(), ['created /home/ec2-user/new.txt', 'created /home/ec2-user/dir', 'deleted /home/ec2-user/new.txt', 'created /home/ec2-user/dir2']);
  await advance(3000);
  await advance(3000);
  assert.deepEqual(seen(), []);
});

test('only while the window has focus: looking stops without it, and looks at once when it comes back', async (t) => {
  const { remote, poller, advance, seen, looks } = setup(t);
  remote.put('/home/ec2-user/log', '1');
  poller.setOpenFiles([uri('/home/ec2-user/log')]);
  await advance(3000);
  looks();
  poller.setFocused(false);
  assert.equal(poller.active, false);
  remote.put('/home/ec2-user/log', '12');
  await advance(60_000);
  assert.deepEqual(looks(), []);
  poller.setFocused(true);
  await advance(0);
  assert.deepEqual(seen(), ['changed /home/ec2-user/log']);
});

test('the interval is the setting, read at each look', async (t) => {
  const { remote, poller, advance, looks, setInterval } = setup(t, 10);
  remote.put('/home/ec2-user/log', '1');
  poller.setOpenFiles([uri('/home/ec2-user/log')]);
  await advance(9999);
  assert.deepEqual(looks(), []);
  await advance(1);
  assert.deepEqual(looks(), ['stat /home/ec2-user/log']);
  setInterval(1);
  await advance(10_000);
  looks();
  await advance(1000);
  assert.deepEqual(looks(), ['stat /home/ec2-user/log']);
});

test('an instance out of reach: nothing is reported, and the looks come less often until it answers again', async (t) => {
  const { remote, poller, advance, seen, looks } = setup(t);
  remote.put('/home/ec2-user/log', '1');
  poller.setOpenFiles([uri('/home/ec2-user/log')]);
  await advance(3000);
  looks();
  remote.down = true;
  await advance(3000);
  assert.deepEqual(looks(), ['stat /home/ec2-user/log']);
  assert.deepEqual(seen(), [], 'a dropped connection is not a deleted file');
  await advance(3000);
  assert.deepEqual(looks(), [], 'after a failed look, the next waits twice as long');
  await advance(3000);
  assert.deepEqual(looks(), ['stat /home/ec2-user/log']);
  await advance(11_999);
  assert.deepEqual(looks(), []);
  remote.down = false;
  remote.put('/home/ec2-user/log', '12');
  await advance(1);
  assert.deepEqual(looks(), ['stat /home/ec2-user/log']);
  assert.deepEqual(seen(), ['changed /home/ec2-user/log']);
  await advance(3000);
  assert.deepEqual(looks(), ['stat /home/ec2-user/log'], 'back to the setting once it answers');
});
