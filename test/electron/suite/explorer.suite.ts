import assert from 'node:assert/strict';

import { test } from '../runner';
import { sandboxManifest } from './sandbox';
import { waitForRows } from './tree';

test('the tree lists every sandbox instance, with its id, type and state', async () => {
  const { instances, regions } = sandboxManifest();
  const rows = await waitForRows([...regions, ...instances.map((i) => i.name)]);
  for (const instance of instances) {
    const row = rows.find((r) => r.label === instance.name)!;
    const description = String(row.item.description ?? '');
    assert.match(description, new RegExp(instance.instanceId), `${instance.name}: ${description}`);
    assert.match(description, new RegExp(instance.state), `${instance.name}: ${description}`);
    assert.match(String(row.item.contextValue), new RegExp(`^instance-${instance.state}-`));
  }
});
