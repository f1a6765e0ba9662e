// listInstances over pages that stream in: when the view is handed instances, and in which order they show.
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { test } from 'node:test';

import { EC2Client } from '@aws-sdk/client-ec2';
import { HttpResponse } from '@smithy/protocol-http';

import { listInstances } from '../../src/core/aws/instances';
import { compareInstances, type Ec2Instance, sortInstances } from '../../src/core/aws/model';

const item = (n: number) =>
  `<item><instanceId>i-${n.toString(16).padStart(17, '0')}</instanceId><instanceState><code>16</code><name>running</name></instanceState>` +
  `<instanceType>t3.micro</instanceType><tagSet><item><key>Name</key><value>web-${n % 7}</value></item></tagSet><blockDeviceMapping>${'<item/>'.repeat(40)}</blockDeviceMapping></item>`;

function page(from: number, count: number, nextToken?: string): string {
  const items = Array.from({ length: count }, (_, i) => item(from + i)).join('');
  return `<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><reservationSet><item><instancesSet>${items}</instancesSet></item></reservationSet>${nextToken ? `<nextToken>${nextToken}</nextToken>` : ''}</DescribeInstancesResponse>`;
}

/** Two pages of 300 instances, each sent in 4 KB chunks, as a socket hands them over. */
function pagedClient() {
  const pages = [page(0, 300, 'second'), page(300, 300)];
  return new EC2Client({
    region: 'us-east-1',
    credentials: { accessKeyId: 'AKIAOFFLINE', secretAccessKey: 'offline' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (request: { body?: string }) => {
        const bytes = Buffer.from(pages[String(request.body).includes('NextToken=second') ? 1 : 0]);
        const chunks = Array.from({ length: Math.ceil(bytes.length / 4096) }, (_, i) => bytes.subarray(i * 4096, (i + 1) * 4096));
        return { response: new HttpResponse({ statusCode: 200, headers: { 'content-type': 'text/xml' }, body: Readable.from(chunks) }) };
      },
    },
  });
}

test("a region's first instances are handed over from the first chunk, then the rest of each page when it ends", async () => {
  const batches: number[] = [];
  const all = await listInstances(pagedClient(), { region: 'us-east-1' }, { onPage: (instances) => batches.push(instances.length) });
  assert.equal(all.length, 600);
  assert.equal(new Set(all.map((i) => i.instanceId)).size, 600);
  assert.equal(batches.length, 3, `batches: ${batches.join(', ')}`);
  assert.ok(batches[0] < 50, 'the first batch is what the first chunk held');
  assert.deepEqual([batches[0] + batches[1], batches[2]], [300, 300]);
});

test('sortInstances is the order compareInstances gives', async () => {
  const all: Ec2Instance[] = await listInstances(pagedClient(), { region: 'us-east-1' });
  assert.deepEqual(sortInstances(all).map((i) => i.instanceId), [...all].sort(compareInstances).map((i) => i.instanceId));
});
