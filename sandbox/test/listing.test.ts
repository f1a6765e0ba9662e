// A large generated account, API only: DescribeInstances pagination as EC2 does it, and the regions list.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { DescribeInstancesCommand, DescribeRegionsCommand, paginateDescribeInstances } from '@aws-sdk/client-ec2';

import { type Sandbox, startSandbox } from '../index';
import { ec2Client } from './helpers';

const GENERATED = 3600;
let sandbox: Sandbox;

before(async () => {
  sandbox = await startSandbox({ ssh: false, instances: GENERATED, regions: ['us-east-1', 'eu-west-1', 'ap-southeast-2'] });
});

after(async () => {
  await sandbox?.stop();
});

test('MaxResults 1000 pages through more than 1000 instances, each exactly once', async () => {
  const client = ec2Client(sandbox, 'us-east-1');
  const seen: string[] = [];
  let pages = 0;
  let token: string | undefined;
  do {
    const page = await client.send(new DescribeInstancesCommand({ MaxResults: 1000, NextToken: token }));
    const ids = (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []).map((instance) => instance.InstanceId!);
    assert.ok(ids.length <= 1000);
    seen.push(...ids);
    token = page.NextToken;
    pages++;
  } while (token);
  const defaults = sandbox.manifest.instances.filter((instance) => instance.region === 'us-east-1').length;
  assert.equal(seen.length, GENERATED / 3 + defaults);
  assert.ok(seen.length > 1000);
  assert.equal(new Set(seen).size, seen.length, 'no instance twice');
  assert.equal(pages, 1 + Math.floor((seen.length - 1) / 1000));
  // Without MaxResults, one answer holds them all: the same set.
  const all = await client.send(new DescribeInstancesCommand({}));
  const allIds = (all.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []).map((instance) => instance.InstanceId!);
  assert.deepEqual([...allIds].sort(), [...seen].sort());
  assert.equal(all.NextToken, undefined);
});

test('the SDK paginator with filters and small pages sees every match once', async () => {
  const client = ec2Client(sandbox, 'eu-west-1');
  const filters = [{ Name: 'instance-state-name', Values: ['running'] }, { Name: 'tag:Environment', Values: ['production', 'staging'] }];
  const ids: string[] = [];
  for await (const page of paginateDescribeInstances({ client, pageSize: 50 }, { Filters: filters })) {
    for (const instance of (page.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? [])) {
      assert.equal(instance.State?.Name, 'running');
      assert.ok(['production', 'staging'].includes(instance.Tags?.find((tag) => tag.Key === 'Environment')?.Value ?? ''));
      ids.push(instance.InstanceId!);
    }
  }
  const unpaged = await client.send(new DescribeInstancesCommand({ Filters: filters }));
  const expected = (unpaged.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []).map((instance) => instance.InstanceId!);
  assert.ok(expected.length > 50);
  assert.deepEqual([...ids].sort(), [...expected].sort());
});

test('a page token only works for the query it came from', async () => {
  const client = ec2Client(sandbox, 'us-east-1');
  const first = await client.send(new DescribeInstancesCommand({ MaxResults: 5 }));
  assert.ok(first.NextToken);
  const error = await client.send(new DescribeInstancesCommand({
    MaxResults: 5, NextToken: first.NextToken, Filters: [{ Name: 'instance-state-name', Values: ['running'] }],
  })).then(() => assert.fail('expected InvalidPaginationToken'), (caught: Error) => caught);
  assert.equal(error.name, 'InvalidPaginationToken');
});

test('generated instances look like an account: reservations, families, states, regions', async () => {
  const result = await ec2Client(sandbox, 'ap-southeast-2').send(new DescribeInstancesCommand({}));
  const instances = (result.Reservations ?? []).flatMap((reservation) => reservation.Instances ?? []);
  assert.equal(instances.length, GENERATED / 3);
  assert.ok((result.Reservations ?? []).some((reservation) => (reservation.Instances ?? []).length > 1), 'some reservations launched several instances');
  const states = new Set(instances.map((instance) => instance.State?.Name));
  assert.deepEqual([...states].sort(), ['running', 'stopped', 'terminated']);
  assert.ok(instances.every((instance) => instance.Placement?.AvailabilityZone?.startsWith('ap-southeast-2')));
  assert.ok(instances.some((instance) => String(instance.Platform) === 'windows'));
  const regions = (await ec2Client(sandbox).send(new DescribeRegionsCommand({}))).Regions ?? [];
  assert.deepEqual(regions.map((region) => region.RegionName), ['us-east-1', 'eu-west-1', 'ap-southeast-2']);
});
