import assert from 'node:assert/strict';
import { describe, test } from 'node:test';

import { useEditorSession } from './fixture';

describe('the EC2 view in a real editor', { timeout: 300_000 }, () => {
  const session = useEditorSession('explorer');

  test('lists the sandbox instances in both regions, with names and states', async () => {
    const { workbench, sandbox } = session();
    const { instances, regions } = sandbox.manifest;
    for (const region of regions) await workbench.row(region);
    for (const instance of instances) {
      const description = await workbench.rowDescription(instance.name);
      assert.match(description, new RegExp(instance.instanceId), `${instance.name} shows its id`);
      assert.match(description, new RegExp(instance.state), `${instance.name} shows its state`);
    }
    await session().screenshot('1-explorer');
  });

  test('offers Connect on a running Linux instance and Start on a stopped one', async () => {
    const { workbench, sandbox } = session();
    const running = sandbox.manifest.instances.find((i) => i.state === 'running' && !i.platform && i.serial)!;
    const stopped = sandbox.manifest.instances.find((i) => i.state === 'stopped')!;
    const runningMenu = await workbench.contextMenuItems(running.name);
    assert.ok(runningMenu.some((item) => item.startsWith('Connect')), `menu: ${runningMenu.join(', ')}`);
    assert.ok(!runningMenu.some((item) => item.startsWith('Start Instance')));
    const stoppedMenu = await workbench.contextMenuItems(stopped.name);
    assert.ok(stoppedMenu.some((item) => item.startsWith('Start Instance')), `menu: ${stoppedMenu.join(', ')}`);
    assert.ok(!stoppedMenu.some((item) => item.startsWith('Connect')));
  });

  test('filters by name, shows the filter, and clears it', async () => {
    const { workbench, sandbox } = session();
    const [first, second] = sandbox.manifest.instances;
    await workbench.viewAction('Filter Instances');
    await workbench.quickInput(first.name);
    await workbench.waitForRowGone(second.name);
    const labels = await workbench.rowLabels();
    assert.ok(labels.includes(first.name), `rows: ${labels.join(', ')}`);
    assert.ok(!labels.includes(second.name), `rows: ${labels.join(', ')}`);
    assert.match(await workbench.viewDescription(), new RegExp(first.name));
    await session().screenshot('8-filter');

    await workbench.viewAction('Clear Filter');
    await workbench.row(second.name);
    assert.equal(await workbench.viewDescription(), '');
  });

  test('refresh shows a state change made outside the editor', async () => {
    const { workbench, sandbox } = session();
    const stopped = sandbox.manifest.instances.find((i) => i.state === 'stopped')!;
    // Someone else starts the instance (the AWS console, a script): the sandbox's API, signed like any client.
    const { EC2Client, StartInstancesCommand } = await import('@aws-sdk/client-ec2');
    const ec2 = new EC2Client({ region: stopped.region, endpoint: sandbox.manifest.endpoint, credentials: sandbox.manifest.credentials });
    await ec2.send(new StartInstancesCommand({ InstanceIds: [stopped.instanceId] }));
    await workbench.viewAction('Refresh');
    await workbench.waitForRowDescription(stopped.name, /pending|running/);
    // Pending instances refresh by themselves until they settle.
    await workbench.waitForRowDescription(stopped.name, /running/);
  });
});
