import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';

import { DescribeInstancesCommand, EC2Client, type Instance } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/protocol-http';

import { DescribeInstancesReader, readDescribeInstancesPage } from '../../src/core/aws/describeInstancesXml';
import { toEc2Instance } from '../../src/core/aws/instances';
import { describeInstancesPage } from '../../src/core/aws/leanDescribeInstances';

/**
 * An EC2 client whose "network" answers every call with this XML, in chunks of `chunkBytes` (and records how
 * often it was asked). `body` replaces the answer's body, call by call.
 */
function offlineClient(xml: string, statusCode = 200, options: { chunkBytes?: number; maxAttempts?: number; body?: (call: number) => Readable } = {}) {
  const calls = { count: 0 };
  const bytes = Buffer.from(xml);
  const step = options.chunkBytes ?? bytes.length;
  const chunks = () => Array.from({ length: Math.ceil(bytes.length / step) }, (_, i) => bytes.subarray(i * step, (i + 1) * step));
  const client = new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAOFFLINE', secretAccessKey: 'offline' },
    maxAttempts: options.maxAttempts ?? 1,
    requestHandler: {
      handle: async () => {
        calls.count++;
        const body = options.body?.(calls.count) ?? Readable.from(chunks());
        return { response: new HttpResponse({ statusCode, headers: { 'content-type': 'text/xml' }, body }) };
      },
    },
  });
  return { client, calls };
}

/** Every instance describeInstancesPage hands over, in order, and its NextToken. */
async function readPage(client: EC2Client, input = {}) {
  const instances: Instance[] = [];
  const batches: number[] = [];
  const { nextToken } = await describeInstancesPage(client, input, {
    onInstances: (batch) => {
      batches.push(batch.length);
      instances.push(...batch);
    },
  });
  return { instances, nextToken, batches };
}

const instanceXml = (id: string, extra: string) => `
    <item>
      <instanceId>${id}</instanceId>
      <imageId>ami-0abcdef1234567890</imageId>
      <instanceState><code>16</code><name>running</name></instanceState>
      <privateDnsName>ip-10-0-1-10.ec2.internal</privateDnsName>
      <dnsName/>
      <instanceType>m7g.large</instanceType>
      <launchTime>2024-11-21T10:00:00.000Z</launchTime>
      <placement><availabilityZone>us-east-1b</availabilityZone><tenancy>default</tenancy></placement>
      <subnetId>subnet-1</subnetId><vpcId>vpc-1</vpcId>
      <privateIpAddress>10.0.1.10</privateIpAddress>
      <groupSet><item><groupId>sg-1</groupId><groupName>name</groupName></item><item><groupName>other</groupName><groupId>sg-2</groupId></item></groupSet>
      ${extra}
    </item>`;

const hostileXml = `<?xml version="1.0" encoding="UTF-8"?>
<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/">
  <requestId>8f7e3c2a-0000-0000-0000-000000000000</requestId>
  <reservationSet>
    <item>
      <reservationId>r-1</reservationId>
      <ownerId>111122223333</ownerId>
      <groupSet/>
      <instancesSet>${instanceXml(
        'i-0123456789abcdef0',
        `<ipAddress>203.0.113.10</ipAddress>
      <platform>windows</platform><platformDetails>Windows</platformDetails>
      <!-- a comment -->
      <tagSet>
        <item><key>Name</key><value>[x](command:workbench.action.terminal.sendSequence?%7B%7D) &lt;b&gt;&amp;&#x41;&#66;&unknown;</value></item>
        <item><key>multi
line</key><value><![CDATA[<not>&amp;markup]]></value></item>
        <item><key>empty</key><value/></item>
        <item><key>blank</key><value>
        </value></item>
        <item><key>spaces</key><value>  padded  </value></item>
      </tagSet>`,
      )}${instanceXml(
        'i-0fedcba9876543210',
        `<networkInterfaceSet><item><networkInterfaceId>eni-1</networkInterfaceId><privateIpAddress>10.0.1.11</privateIpAddress>
        <ipv6AddressesSet><item><ipv6Address>2001:db8::11</ipv6Address><isPrimaryIpv6>true</isPrimaryIpv6></item></ipv6AddressesSet>
        <tagSet><item><key>NotAnInstanceTag</key><value>nic</value></item></tagSet>
        <groupSet><item><groupId>sg-nic</groupId><groupName>nic</groupName></item></groupSet>
      </item></networkInterfaceSet>
      <stateReason><code>x</code><message>y</message></stateReason>`,
      )}
      </instancesSet>
    </item>
    <item><reservationId>r-2</reservationId><instancesSet>${instanceXml('i-00000001', '<tagSet/>')}</instancesSet></item>
  </reservationSet>
  <nextToken>token+/=&amp;1</nextToken>
</DescribeInstancesResponse>`;

test('the lean reader reads a page exactly as the SDK does: entities, CDATA, comments, blanks, IPv6 on a NIC, nested tag sets', async () => {
  const target = { profile: 'dev', region: 'us-east-1' };
  const sdk = await offlineClient(hostileXml).client.send(new DescribeInstancesCommand({}));
  const expected = (sdk.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => toEc2Instance(i, target));
  const lean = readDescribeInstancesPage(hostileXml);
  assert.deepEqual(lean.instances.map((i) => toEc2Instance(i, target)), expected);
  assert.equal(lean.nextToken, sdk.NextToken);
  assert.equal(expected.length, 3);
  assert.equal(expected[0].name, '[x](command:workbench.action.terminal.sendSequence?%7B%7D) <b>&AB');
  assert.equal(expected[0].tags[1].value, '<not>&amp;markup');
  assert.equal(expected[1].publicIpv6, '2001:db8::11');
  assert.deepEqual([expected[0].vpcId, expected[0].subnetId, expected[0].securityGroupIds], ['vpc-1', 'subnet-1', ['sg-1', 'sg-2']]);
  // The groups of a network interface are not the instance's.
  assert.deepEqual(expected[1].securityGroupIds, ['sg-1', 'sg-2']);
  assert.deepEqual(expected[1].tags, []);
});

test('characters beyond the BMP written as entities come out whole (the SDK parser keeps only their low 16 bits)', () => {
  const xml = `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><reservationSet><item><instancesSet>${instanceXml(
    'i-0123456789abcdef0',
    '<tagSet><item><key>Name</key><value>rocket &#x1F680; &#128640; &#xE9;</value></item></tagSet>',
  )}</instancesSet></item></reservationSet></DescribeInstancesResponse>`;
  assert.equal(readDescribeInstancesPage(xml).instances[0].Tags?.[0].Value, 'rocket 🚀 🚀 é');
  // A code point past U+10FFFF is not a character: the page goes to the SDK's parser.
  assert.throws(() => readDescribeInstancesPage(xml.replace('&#xE9;', '&#x110000;')));
});

test('a page read through the SDK client with the lean reader: same result, one request, SDK errors unchanged', async () => {
  const { client, calls } = offlineClient(hostileXml);
  const page = await readPage(client, { MaxResults: 1000 });
  assert.equal(calls.count, 1);
  assert.equal(page.instances.length, 3);
  assert.equal(page.nextToken, 'token+/=&1');

  const error = `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>abc</RequestID></Response>`;
  await assert.rejects(readPage(offlineClient(error, 403).client), (err: Error) => err.name === 'UnauthorizedOperation');
});

test('a page cut anywhere reads the same: inside names, entities, CDATA, comments and UTF-8 characters', async () => {
  const xml = hostileXml.replace('<value>spaces', '<value>é 🚀 spaces').replace('padded  </value>', 'padded é</value>');
  const whole = readDescribeInstancesPage(xml);
  assert.equal(whole.instances.length, 3);
  for (const chunkBytes of [1, 2, 3, 7, 64, 1000]) {
    const page = await readPage(offlineClient(xml, 200, { chunkBytes }).client);
    assert.deepEqual(page.instances, whole.instances, `chunks of ${chunkBytes} bytes`);
    assert.equal(page.nextToken, whole.nextToken);
  }
  // Text cut at every character, through the reader itself.
  for (let cut = 1; cut < xml.length; cut++) {
    const reader = new DescribeInstancesReader();
    const instances = [...reader.write(xml.slice(0, cut)), ...reader.write(xml.slice(cut))];
    assert.deepEqual(instances, whole.instances, `cut at ${cut}`);
    assert.equal(reader.finish().nextToken, whole.nextToken);
  }
});

test('instances are handed over as they are read, before the page has ended', async () => {
  const cut = hostileXml.indexOf('<item><reservationId>r-2');
  let release!: () => void;
  const held = new Promise<void>((resolve) => (release = resolve));
  const received: string[] = [];
  async function* body() {
    yield Buffer.from(hostileXml.slice(0, cut));
    // The rest comes only once the first instances were handed over.
    await held;
    yield Buffer.from(hostileXml.slice(cut));
  }
  const { client } = offlineClient(hostileXml, 200, { body: () => Readable.from(body()) });
  const done = describeInstancesPage(client, {}, {
    onInstances: (batch) => {
      received.push(...batch.map((i) => i.InstanceId ?? ''));
      release();
    },
  });
  await done;
  assert.deepEqual(received, ['i-0123456789abcdef0', 'i-0fedcba9876543210', 'i-00000001']);
});

test('a page whose body breaks off is asked for again, and no instance is handed over twice', async () => {
  const cut = hostileXml.indexOf('<item><reservationId>r-2');
  async function* broken() {
    yield Buffer.from(hostileXml.slice(0, cut));
    throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
  }
  const { client, calls } = offlineClient(hostileXml, 200, { maxAttempts: 2, body: (call) => (call === 1 ? Readable.from(broken()) : Readable.from([Buffer.from(hostileXml)])) });
  const page = await readPage(client);
  assert.equal(calls.count, 2);
  assert.deepEqual(page.instances.map((i) => i.InstanceId), ['i-0123456789abcdef0', 'i-0fedcba9876543210', 'i-00000001']);
});

test('XML the lean reader cannot follow is asked for again and left to the SDK, whose reading is used', async () => {
  // A DOCTYPE (AWS sends none) is beyond the lean reader, not beyond the SDK's parser.
  const odd = hostileXml.replace('<DescribeInstancesResponse ', '<!DOCTYPE DescribeInstancesResponse><DescribeInstancesResponse ');
  assert.throws(() => readDescribeInstancesPage(odd), /unexpected markup/);
  const { client, calls } = offlineClient(odd);
  const page = await readPage(client);
  assert.equal(calls.count, 2);
  assert.equal(page.instances.length, 3);
  assert.equal(page.instances[0].Tags?.[0].Value, '[x](command:workbench.action.terminal.sendSequence?%7B%7D) <b>&AB');
  assert.equal(page.nextToken, 'token+/=&1');
  assert.throws(() => readDescribeInstancesPage('<DescribeInstancesResponse><reservationSet>'), /unexpected end/);

  // Beyond it after some instances were handed over (an element holding one of its own name, in an instance of
  // the last reservation): those are not handed over again.
  const late = hostileXml.replace('<tagSet/>\n    </item></instancesSet>', '<stateReason><stateReason>x</stateReason></stateReason><tagSet/>\n    </item></instancesSet>');
  assert.throws(() => readDescribeInstancesPage(late), /mismatched closing tag/);
  const again = await readPage(offlineClient(late).client);
  assert.deepEqual(again.instances.map((i) => i.InstanceId), ['i-0123456789abcdef0', 'i-0fedcba9876543210', 'i-00000001']);
});
