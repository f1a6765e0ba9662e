import { Readable } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

import { DescribeInstancesCommand, type DescribeInstancesCommandInput, type EC2Client, type Instance } from '@aws-sdk/client-ec2';

import { DescribeInstancesReader } from './describeInstancesXml';

/** What the SDK is handed instead of a page already read: nothing left to parse. */
const emptyPage = '<DescribeInstancesResponse xmlns="http://ec2.amazonaws.com/doc/2016-11-15/"><reservationSet/></DescribeInstancesResponse>';

interface RawResponse {
  statusCode: number;
  body: unknown;
}

/** Thrown from inside the SDK's stack when the lean reader cannot follow a page: the page is then asked for again. */
class UnreadablePage extends Error {}

/**
 * Reads the body as it arrives, chunk by chunk, into the lean reader, each instance handed to `onInstances`
 * as soon as it is read: the page is never held whole, neither as bytes nor as text.
 */
async function readStreaming(body: unknown, onInstances: (instances: Instance[]) => void): Promise<string | undefined> {
  const reader = new DescribeInstancesReader();
  const decoder = new StringDecoder('utf8');
  const read = (text: string) => {
    let instances: Instance[];
    try {
      instances = reader.write(text);
    } catch (err) {
      throw new UnreadablePage(String(err), { cause: err });
    }
    if (instances.length) onInstances(instances);
  };
  for await (const chunk of body as AsyncIterable<Uint8Array | string>) read(typeof chunk === 'string' ? chunk : decoder.write(chunk));
  read(decoder.end());
  try {
    return reader.finish().nextToken;
  } catch (err) {
    throw new UnreadablePage(String(err), { cause: err });
  }
}

export interface PageOptions {
  abortSignal?: AbortSignal;
  /** The page's instances in the order they are read, in batches (about one per 64 KB received), each instance once. */
  onInstances: (instances: Instance[]) => void;
}

/**
 * One DescribeInstances call through the SDK client (endpoint, signing, retries, modeled errors all as usual)
 * whose successful page is read by the lean reader, as it streams in, instead of the SDK's parser. A page the
 * lean reader cannot follow is asked for again and read by the SDK (EC2 sends none such; the fallback is
 * there for the day it does). An instance already handed over, before a retry or the fallback, is not handed
 * over again. Returns the page's NextToken.
 */
export async function describeInstancesPage(client: EC2Client, input: DescribeInstancesCommandInput, options: PageOptions): Promise<{ nextToken?: string }> {
  const seen = new Set<string>();
  const deliver = (instances: Instance[]) => {
    const fresh = instances.filter((instance) => {
      const id = instance.InstanceId;
      if (id === undefined) return true;
      if (seen.has(id)) return false;
      seen.add(id);
      return true;
    });
    if (fresh.length) options.onInstances(fresh);
  };
  const command = new DescribeInstancesCommand(input);
  let nextToken: string | undefined;
  // A deserialize-step middleware placed inside the SDK's deserializer: it sees the raw response first.
  const readLean = (next: (args: unknown) => Promise<{ response: unknown }>) => async (args: unknown) => {
    const result = await next(args);
    const response = result.response as RawResponse;
    if (response.statusCode >= 200 && response.statusCode < 300 && response.body) {
      nextToken = await readStreaming(response.body, deliver);
      response.body = Readable.from([Buffer.from(emptyPage)]);
    }
    return result;
  };
  command.middlewareStack.addRelativeTo(readLean as never, {
    relation: 'after',
    toMiddleware: 'deserializerMiddleware',
    name: 'leanDescribeInstancesReader',
    override: true,
  });
  try {
    await client.send(command, { abortSignal: options.abortSignal });
    return { nextToken: nextToken || undefined };
  } catch (err) {
    if (!(err instanceof UnreadablePage)) throw err;
  }
  const out = await client.send(new DescribeInstancesCommand(input), { abortSignal: options.abortSignal });
  deliver((out.Reservations ?? []).flatMap((r) => r.Instances ?? []));
  return { nextToken: out.NextToken || undefined };
}
