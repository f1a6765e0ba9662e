/**
 * One measured listing in a fresh process (so peak RSS is the listing's own). Modes:
 *   ours   the inventory and the view's tree over it, with the real SDK client: a cold first open, then a warm Refresh
 *          (firstPageMs: the first instances handed to the view; firstRequestMs: the first DescribeInstances sent, which
 *          both ours and the floor time at the same middleware step, so that startup and reading can be told apart);
 *   sdk    the peer: the SDK's DescribeInstances paginator in every region at once, its own XML parser;
 *   floor  the same calls with the response bodies read and thrown away: the transport and the sandbox alone;
 *   today  the floor, with its first whole page read whole before it counts as shown (a reader of whole pages);
 *   read   no listing timed: the floor's calls once, their bodies kept as they arrived, then read by the lean reader
 *          and reduced to the model, as a first open does but with nothing on the wire: what reading alone costs, cold
 *          (the first pass, V8 yet to optimize the reader) and warm (the second).
 * Both keep the SDK's default retries, as the product does: the sandbox closes a keep-alive socket idle for
 * 5 s, and under load a request can race that close (ECONNRESET), which a retry absorbs.
 * Prints one JSON line. Environment: the sandbox's AWS_* variables; argv: mode, then the regions comma-separated.
 */
import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

import { DescribeInstancesCommand, EC2Client, paginateDescribeInstances } from '@aws-sdk/client-ec2';

import { AwsClients } from '../src/core/aws/clients';
import { DescribeInstancesReader, readDescribeInstancesPage } from '../src/core/aws/describeInstancesXml';
import { toEc2Instance } from '../src/core/aws/instances';
import type { AwsTarget } from '../src/core/aws/model';
import { silentLogger } from '../src/core/base/log';
import { defaultSettings } from '../src/core/base/settings';
import { createInventoryBackend } from '../src/core/inventory/backend';
import { Inventory } from '../src/core/inventory/inventory';
import { planTargets } from '../src/core/inventory/plan';
import { InstancesTreeModel } from '../src/editor/tree/instancesTreeModel';

interface Listing {
  ms: number;
  firstPageMs: number;
  firstRequestMs: number;
  instances: number;
  pagesPerRegion: Map<string, number>;
}

type Lister = () => Promise<Listing>;

function oursLister(regions: string[]): Lister {
  const clients = new AwsClients({ endpoint: process.env.AWS_ENDPOINT_URL });
  let current: Listing | undefined;
  let started = 0;
  // Pages are counted where they are asked for: the listing hands instances over in batches, not pages.
  const clientFor = clients.ec2Client.bind(clients);
  const counting = new Set<EC2Client>();
  clients.ec2Client = (target: AwsTarget) => {
    const client = clientFor(target);
    if (!counting.has(client)) {
      counting.add(client);
      client.middlewareStack.add(
        (next, context) => async (args) => {
          if (current && context.commandName === 'DescribeInstancesCommand') {
            current.firstRequestMs ||= performance.now() - started;
            current.pagesPerRegion.set(target.region, (current.pagesPerRegion.get(target.region) ?? 0) + 1);
          }
          return next(args);
        },
        { step: 'initialize', name: 'countPages' },
      );
    }
    return client;
  };
  const backend = createInventoryBackend(clients, process.env);
  const counted = {
    ...backend,
    list: (targets: readonly AwsTarget[], options: Parameters<typeof backend.list>[1]) =>
      backend.list(targets, {
        ...options,
        onPage: (target, instances) => {
          if (current) current.firstPageMs ||= performance.now() - started;
          options.onPage(target, instances);
        },
      }),
  };
  const settings = { ...defaultSettings, regions };
  const inventory = new Inventory({ backend: () => counted, plan: async (b) => planTargets(await b.loadProfiles(), settings, b.env), log: silentLogger });
  const model = new InstancesTreeModel(inventory, () => settings);
  let first = true;
  return async () => {
    current = { ms: 0, firstPageMs: 0, firstRequestMs: 0, instances: 0, pagesPerRegion: new Map() };
    started = performance.now();
    if (first) await model.children();
    else await inventory.refresh();
    first = false;
    await inventory.settled();
    current.ms = performance.now() - started;
    current.instances = inventory.instances().length;
    if ((await model.children()).some((node) => node.kind !== 'region')) throw new Error('a region failed to list');
    return current;
  };
}

const emptyPage = '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><reservationSet/></DescribeInstancesResponse>';

/**
 * The SDK's client in every region at once: `sdk` parses with the SDK's paginator; `floor` reads the bodies and
 * throws them away; `today` is the floor, except that the first page to be whole is then read whole by the
 * lean reader (readDescribeInstancesPage) before it counts as shown: what a reader of whole pages (this code
 * before it read pages as they stream in) does, on the floor's timing.
 */
function sdkLister(regions: string[], mode: 'sdk' | 'floor' | 'today'): Lister {
  const discardBodies = mode !== 'sdk';
  const clients = regions.map((region) => new EC2Client({ region, endpoint: process.env.AWS_ENDPOINT_URL }));
  const timed = new Set<EC2Client>();
  let current: Listing = { ms: 0, firstPageMs: 0, firstRequestMs: 0, instances: 0, pagesPerRegion: new Map() };
  let currentStart = 0;
  const discard = (next: (args: unknown) => Promise<{ response: { body: unknown } }>) => async (args: unknown) => {
    const result = await next(args);
    const listing = current;
    const chunks: Buffer[] = [];
    for await (const chunk of result.response.body as AsyncIterable<Buffer>) if (mode === 'today' && !listing.firstPageMs) chunks.push(chunk);
    if (mode === 'today' && !listing.firstPageMs) {
      // Read and reduced to the product's model, as the view would be handed them.
      const shown = readDescribeInstancesPage(Buffer.concat(chunks).toString('utf8')).instances.map((i) => toEc2Instance(i, { region: 'first' }));
      if (shown.length === 0) throw new Error('the first whole page held no instances');
      listing.firstPageMs ||= performance.now() - currentStart;
    }
    result.response.body = Readable.from([Buffer.from(emptyPage)]);
    return result;
  };
  return async () => {
    const listing: Listing = { ms: 0, firstPageMs: 0, firstRequestMs: 0, instances: 0, pagesPerRegion: new Map() };
    const started = performance.now();
    for (const client of clients) {
      if (timed.has(client)) continue;
      timed.add(client);
      client.middlewareStack.add(
        (next) => async (args) => {
          current.firstRequestMs ||= performance.now() - currentStart;
          return next(args);
        },
        { step: 'initialize', name: 'firstRequest' },
      );
    }
    current = listing;
    currentStart = started;
    await Promise.all(
      clients.map(async (client, index) => {
        const region = regions[index];
        if (discardBodies) {
          const command = new DescribeInstancesCommand({ MaxResults: 1000 });
          command.middlewareStack.addRelativeTo(discard as never, { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'discard' });
          await client.send(command);
          if (mode === 'floor') listing.firstPageMs ||= performance.now() - started;
          listing.pagesPerRegion.set(region, 1);
          return;
        }
        for await (const page of paginateDescribeInstances({ client, pageSize: 1000 }, {})) {
          const instances = (page.Reservations ?? []).flatMap((r) => r.Instances ?? []).map((i) => toEc2Instance(i, { region }));
          listing.instances += instances.length;
          listing.firstPageMs ||= performance.now() - started;
          listing.pagesPerRegion.set(region, (listing.pagesPerRegion.get(region) ?? 0) + 1);
        }
      }),
    );
    listing.ms = performance.now() - started;
    return listing;
  };
}

/** The bodies of the floor's calls as they arrived (one array of chunks per region), fetched once. */
async function fetchBodies(regions: string[]): Promise<Buffer[][]> {
  return Promise.all(
    regions.map(async (region) => {
      const chunks: Buffer[] = [];
      const keep = (next: (args: unknown) => Promise<{ response: { body: unknown } }>) => async (args: unknown) => {
        const result = await next(args);
        for await (const chunk of result.response.body as AsyncIterable<Buffer>) chunks.push(chunk);
        result.response.body = Readable.from([Buffer.from(emptyPage)]);
        return result;
      };
      const command = new DescribeInstancesCommand({ MaxResults: 1000 });
      command.middlewareStack.addRelativeTo(keep as never, { relation: 'after', toMiddleware: 'deserializerMiddleware', name: 'keep' });
      await new EC2Client({ region, endpoint: process.env.AWS_ENDPOINT_URL }).send(command);
      return chunks;
    }),
  );
}

/** The kept bodies read chunk by chunk by the lean reader and reduced to the model, as describeInstancesPage does. */
function readLister(bodies: Buffer[][]): Lister {
  return async () => {
    const started = performance.now();
    let instances = 0;
    for (const [index, chunks] of bodies.entries()) {
      const reader = new DescribeInstancesReader();
      const decoder = new StringDecoder('utf8');
      const target = { region: String(index) };
      for (const chunk of chunks) for (const instance of reader.write(decoder.write(chunk))) if (toEc2Instance(instance, target).instanceId) instances++;
      reader.write(decoder.end());
      reader.finish();
    }
    const ms = performance.now() - started;
    return { ms, firstPageMs: ms, firstRequestMs: 0, instances, pagesPerRegion: new Map(bodies.map((_, index) => [String(index), 1])) };
  };
}

async function main(): Promise<void> {
  const mode = process.argv[2];
  const regions = (process.argv[3] ?? '').split(',').filter(Boolean);
  const list = mode === 'read' ? readLister(await fetchBodies(regions)) : mode === 'ours' ? oursLister(regions) : sdkLister(regions, mode as 'sdk' | 'floor' | 'today');
  const cpu = (before: NodeJS.CpuUsage) => {
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000;
  };
  const cpuBefore = process.cpuUsage();
  const cold = await list();
  const coldCpuMs = cpu(cpuBefore);
  const cpuBetween = process.cpuUsage();
  const warm = await list();
  const warmCpuMs = cpu(cpuBetween);
  process.stdout.write(
    `${JSON.stringify({
      coldMs: cold.ms,
      coldFirstPageMs: cold.firstPageMs,
      coldFirstRequestMs: cold.firstRequestMs,
      warmMs: warm.ms,
      coldCpuMs,
      warmCpuMs,
      instances: cold.instances,
      maxPagesInOneRegion: Math.max(...cold.pagesPerRegion.values()),
      pages: [...cold.pagesPerRegion.values()].reduce((a, b) => a + b, 0),
      peakRssMb: process.resourceUsage().maxRSS / 1024,
    })}\n`,
  );
}

void main();
