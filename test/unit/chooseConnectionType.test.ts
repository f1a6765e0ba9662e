import assert from 'node:assert/strict';
import { test } from 'node:test';

import { defaultSettings } from '../../src/core/base/settings';
import * as core from '../../src/core/core';
import { chooseConnectionType } from '../../src/editor/commands/chooseConnectionType';
import { FakeAws } from '../fakes/fakeAws';
import { fakeServices } from '../fakes/fakeServices';
import { instance } from '../fakes/sdkInstances';

const row = () => ({ kind: 'instance' as const, instance: instance({ PublicIpAddress: undefined, VpcId: 'vpc-1', SubnetId: 'subnet-1' }) });

test('Choose Connection Type… remembers the way in for the instance; Connect then takes it; "Use the setting" forgets it', async () => {
  const aws = new FakeAws();
  const { services, ui, store } = fakeServices({ core, aws: aws.clients(), settings: { ...defaultSettings, connectionType: 'auto' } });
  let offered: string[] = [];
  ui.pickAnswers.push((labels) => {
    offered = labels;
    return labels.find((l) => l === 'Private address');
  });
  await chooseConnectionType.run(services, row());
  assert.deepEqual(offered, ['Automatic', 'Direct', 'Private address', 'EC2 Instance Connect Endpoint', 'Use the setting']);
  assert.match(ui.messages[0].message, /web-1 \(i-0123456789abcdef0\) is reached with "Private address" from now on/);
  assert.deepEqual(ui.messages[0].actions, ['Connect']);

  // A connector made later (the next session) reads it from the store: straight to the private address, no endpoint lookup.
  const later = fakeServices({ core, aws: aws.clients(), store, settings: { ...defaultSettings, connectionType: 'auto' } });
  const target = await later.services.connector().resolveTarget({ instance: row().instance });
  assert.equal(target.connectionType, 'privateAddress');
  assert.equal(target.host, '10.0.1.10');
  assert.equal(target.endpoint, undefined);
  assert.ok(!aws.calls.includes('DescribeInstanceConnectEndpoints'));

  ui.pickAnswers.push(() => 'Use the setting');
  await chooseConnectionType.run(services, row());
  assert.equal(services.connector().connectionTypes.get(row().instance.instanceId), undefined);
});
