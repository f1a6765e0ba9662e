// CreateTags and DeleteTags through the real SDK: what a test uses to put hostile text on an instance.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import { CreateTagsCommand, DeleteTagsCommand, DescribeInstancesCommand, type EC2Client } from '@aws-sdk/client-ec2';

import { type Sandbox, startSandbox } from '../index';
import { ec2Client, instanceNamed } from './helpers';

let sandbox: Sandbox;
let client: EC2Client;

before(async () => {
  sandbox = await startSandbox({ ssh: false });
  client = ec2Client(sandbox);
});

after(async () => {
  await sandbox?.stop();
});

async function tagsOf(instanceId: string): Promise<Record<string, string>> {
  const out = await client.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }));
  return Object.fromEntries((out.Reservations?.[0]?.Instances?.[0]?.Tags ?? []).map((t) => [t.Key!, t.Value!]));
}

test('CreateTags sets and replaces tags, hostile text included, as DescribeInstances and the manifest then show', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const hostile = '\u001b]0;pwned\u0007\u001b[2J\u009b31mweb\r\nfake line\u202e';
  await client.send(new CreateTagsCommand({ Resources: [web.instanceId], Tags: [{ Key: 'Name', Value: hostile }, { Key: 'Owner', Value: 'ana' }] }));
  const tags = await tagsOf(web.instanceId);
  assert.equal(tags.Name, hostile, 'the bytes come back as they were put');
  assert.equal(tags.Owner, 'ana');
  assert.equal(sandbox.manifest.instances.find((i) => i.instanceId === web.instanceId)?.name, hostile);
  await client.send(new CreateTagsCommand({ Resources: [web.instanceId], Tags: [{ Key: 'Name', Value: 'web-prod-1' }] }));
  assert.equal((await tagsOf(web.instanceId)).Name, 'web-prod-1');
});

test('DeleteTags removes a key, or a key only with its value, as EC2 does', async () => {
  const api = instanceNamed(sandbox, 'api-staging');
  await client.send(new CreateTagsCommand({ Resources: [api.instanceId], Tags: [{ Key: 'a', Value: '1' }, { Key: 'b', Value: '2' }] }));
  await client.send(new DeleteTagsCommand({ Resources: [api.instanceId], Tags: [{ Key: 'a', Value: 'not-1' }, { Key: 'b' }] }));
  const tags = await tagsOf(api.instanceId);
  assert.equal(tags.a, '1', 'a different value leaves the tag');
  assert.equal(tags.b, undefined);
});

test('what EC2 refuses: an unknown instance, an aws: key, no tags', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  await assert.rejects(client.send(new CreateTagsCommand({ Resources: ['i-0123456789abcdef0'], Tags: [{ Key: 'k', Value: 'v' }] })), { name: 'InvalidInstanceID.NotFound' });
  await assert.rejects(client.send(new CreateTagsCommand({ Resources: [web.instanceId], Tags: [{ Key: 'aws:x', Value: 'v' }] })), { name: 'InvalidParameterValue' });
  await assert.rejects(client.send(new CreateTagsCommand({ Resources: [web.instanceId], Tags: [] })), { name: 'MissingParameter' });
});
