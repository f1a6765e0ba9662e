import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';

import { DescribeInstancesCommand, EC2Client } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/protocol-http';

import { readDescribeInstancesPage } from '../../src/core/aws/describeInstancesXml';
import { toEc2Instance } from '../../src/core/aws/instances';
import { describeInstancesPage } from '../../src/core/aws/leanDescribeInstances';

/** An EC2 client whose "network" answers every call with this XML (and records how often it was asked). */
function offlineClient(xml: string, statusCode = 200) {
  const calls = { count: 0 };
  const client = new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAOFFLINE', secretAccessKey: 'offline' },
    maxAttempts: 1,
    requestHandler: {
      handle: async () => {
        calls.count++;
        return { response: new HttpResponse({ statusCode, headers: { 'content-type': 'text/xml' }, body: Readable.from([Buffer.from(xml)]) }) };
      },
    },
  });
  return { client, calls };
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
  const page = await describeInstancesPage(client, { MaxResults: 1000 });
  assert.equal(calls.count, 1);
  assert.equal(page.instances.length, 3);
  assert.equal(page.nextToken, 'token+/=&1');

  const error = `<?xml version="1.0" encoding="UTF-8"?><Response><Errors><Error><Code>UnauthorizedOperation</Code><Message>You are not authorized to perform this operation.</Message></Error></Errors><RequestID>abc</RequestID></Response>`;
  await assert.rejects(describeInstancesPage(offlineClient(error, 403).client, {}), (err: Error) => err.name === 'UnauthorizedOperation');
});

test('XML the lean reader cannot follow is left to the SDK, whose reading is used', async () => {
  // A DOCTYPE (AWS sends none) is beyond the lean reader, not beyond the SDK's parser.
  const odd = hostileXml.replace('<DescribeInstancesResponse ', '<!DOCTYPE DescribeInstancesResponse><DescribeInstancesResponse ');
  assert.throws(() => readDescribeInstancesPage(odd), /unexpected markup/);
  const page = await describeInstancesPage(offlineClient(odd).client, {});
  assert.equal(page.instances.length, 3);
  assert.equal(page.instances[0].Tags?.[0].Value, '[x](command:workbench.action.terminal.sendSequence?%7B%7D) <b>&AB');
  assert.throws(() => readDescribeInstancesPage('<DescribeInstancesResponse><reservationSet>'), /unexpected end/);
});
