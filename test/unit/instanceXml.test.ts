import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

import { DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/protocol-http';

import { DescribeInstancesReader, readDescribeInstancesPage } from '../../src/core/aws/describeInstancesXml';
import { toEc2Instance } from '../../src/core/aws/instances';
import { incomplete, InstanceText, unusual } from '../../src/core/aws/instanceXml';

/** A page the sandbox wrote (EC2's elements, in EC2's order): a Linux instance, one with IPv6, a Windows one. */
const sandboxPage = readFileSync(join(__dirname, 'fixtures', 'describeInstances-sandbox.xml'), 'utf8');
const target = { profile: 'dev', region: 'us-east-1' };

/** Where each instance's `<item>` content starts. */
function instanceStarts(xml: string): number[] {
  const starts: number[] = [];
  for (let at = xml.indexOf('<instancesSet><item>'); at !== -1; at = xml.indexOf('<instancesSet><item>', at + 1)) starts.push(at + '<instancesSet><item>'.length);
  return starts;
}

async function sdkReading(xml: string): Promise<Instance[]> {
  const client = new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAOFFLINE', secretAccessKey: 'offline' },
    requestHandler: { handle: async () => ({ response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Buffer.from(xml) }) }) },
  });
  const out = await client.send(new DescribeInstancesCommand({}));
  return (out.Reservations ?? []).flatMap((r) => r.Instances ?? []);
}

test("the fast path reads every instance of EC2's own XML, with nothing left to the careful reader", () => {
  const starts = instanceStarts(sandboxPage);
  assert.equal(starts.length, 3);
  const text = new InstanceText(sandboxPage);
  for (const start of starts) {
    const instance: Instance = {};
    const end = text.readInstance(start, instance);
    assert.ok(end > start, `instance at ${start}: ${end}`);
    assert.equal(sandboxPage.slice(end - 7, end), '</item>');
    assert.match(instance.InstanceId ?? '', /^i-[0-9a-f]{17}$/);
  }
});

test('the fast path reads what the SDK reads: every field the product shows, IPv6 on an interface, Windows', async () => {
  const expected = (await sdkReading(sandboxPage)).map((i) => toEc2Instance(i, target));
  const lean = readDescribeInstancesPage(sandboxPage).instances.map((i) => toEc2Instance(i, target));
  assert.deepEqual(lean, expected);
  assert.ok(expected.some((i) => i.publicIpv6), 'the fixture has an instance with IPv6');
  assert.ok(expected.some((i) => i.platform === 'windows'), 'the fixture has a Windows instance');
  assert.ok(expected.every((i) => i.name && i.securityGroupIds?.length && i.launchTime instanceof Date && i.availabilityZone));
});

test('the fast path and the careful reader agree: the same page with a comment in each instance goes the careful way', () => {
  const fast = readDescribeInstancesPage(sandboxPage).instances;
  const careful = readDescribeInstancesPage(sandboxPage.replaceAll('<instancesSet><item>', '<instancesSet><item><!-- careful -->'));
  const text = new InstanceText(sandboxPage.replaceAll('<instancesSet><item>', '<instancesSet><item><!-- careful -->'));
  assert.equal(text.readInstance(instanceStarts(sandboxPage)[0], {}), unusual);
  assert.deepEqual(careful.instances, fast);
});

test('the fast path leaves to the careful reader what it does not take, and waits for the rest of an instance', () => {
  const [start] = instanceStarts(sandboxPage);
  const read = (xml: string) => new InstanceText(xml).readInstance(start, {});
  assert.equal(read(sandboxPage.replace('<tagSet><item><key>', '<tagSet><!-- x --><item><key>')), unusual, 'a comment inside a container it reads');
  assert.equal(read(sandboxPage.replace('<value>', '<value><![CDATA[x]]>')), unusual, 'CDATA in a leaf it reads');
  assert.equal(read(sandboxPage.replace('<monitoring>', '<monitoring a="b">')), unusual, 'an attribute on a container it jumps over');
  assert.equal(read(sandboxPage.replace('<amiLaunchIndex>', '<amiLaunchIndex a="b">')), unusual, 'an attribute on a leaf');
  assert.equal(read(sandboxPage.replace('<monitoring>', '<monitoring><monitoring>x</monitoring>')), unusual, 'an element holding one of its own name');
  assert.equal(read(sandboxPage.replace('<instanceId>', '<instanceId><x/>')), unusual, 'a leaf it reads, with children');
  const end = read(sandboxPage);
  for (let cut = start; cut < end; cut += 97) assert.equal(read(sandboxPage.slice(0, cut)), incomplete, `cut at ${cut}`);
});

test('pieces larger than what finishes a cut instance read the same: the cut one is joined with only the start of the next piece', () => {
  // The sandbox's reservations many times over, one instance with a 20,000-character tag (more than the first
  // few kilobytes joined to finish it), then cut into two large pieces at many places.
  const big = sandboxPage.replace('<key>Name</key><value>', `<key>Notes</key><value>${'n'.repeat(20_000)}</value></item><item><key>Name</key><value>`);
  const reservations = (xml: string) => xml.slice(xml.indexOf('<reservationSet>') + '<reservationSet>'.length, xml.indexOf('</reservationSet>'));
  const xml = sandboxPage.replace('</reservationSet>', `${reservations(sandboxPage).repeat(4)}${reservations(big)}${reservations(sandboxPage).repeat(4)}</reservationSet>`);
  const whole = readDescribeInstancesPage(xml);
  assert.equal(whole.instances.length, 3 * 10);
  assert.ok(whole.instances.some((i) => i.Tags?.some((t) => t.Value?.length === 20_000)));
  for (let cut = 1; cut < xml.length; cut += 211) {
    const reader = new DescribeInstancesReader();
    const instances = [...reader.write(xml.slice(0, cut)), ...reader.write(xml.slice(cut))];
    assert.deepEqual(instances, whole.instances, `cut at ${cut}`);
    assert.equal(reader.finish().nextToken, whole.nextToken);
  }
  // Three pieces, the middle one inside the long tag.
  const at = xml.indexOf('nnnn') + 5000;
  const reader = new DescribeInstancesReader();
  const instances = [xml.slice(0, at - 9000), xml.slice(at - 9000, at), xml.slice(at)].flatMap((piece) => reader.write(piece));
  assert.deepEqual(instances, whole.instances);
});
