/**
 * A stand-in for AWS's fleet of API servers in front of the sandbox, for the list benchmark: it answers
 * each distinct call with the sandbox's answer to the first such call, after the injected latency. The
 * sandbox is one Node thread that writes about 3.5 KB of XML per instance for every call (close to a second
 * for 10,000 instances), where AWS answers the regions in parallel on separate servers; replayed, the server
 * costs only the latency and the bytes on loopback, so that the wall time can be set against the critical
 * path (pages × latency) as the explorer issue defines it. Requests are still signed and checked by the
 * sandbox the first time; the replay keys on region and request body (the parameters), not the signature.
 */
import { createServer, type IncomingHttpHeaders, type IncomingMessage, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';

interface Answer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

async function read(stream: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

export interface ReplayEndpoint {
  endpoint: string;
  /** Calls answered from the sandbox, and from the replay. */
  counts: { forwarded: number; replayed: number };
  stop(): Promise<void>;
}

export async function startReplayEndpoint(upstream: string, latencyMs: number): Promise<ReplayEndpoint> {
  const target = new URL(upstream);
  const answers = new Map<string, Promise<Answer>>();
  const counts = { forwarded: 0, replayed: 0 };
  const forward = (incoming: IncomingMessage, body: Buffer) =>
    new Promise<Answer>((resolve, reject) => {
      const outgoing = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: incoming.headers },
        async (response) => resolve({ status: response.statusCode ?? 502, headers: response.headers, body: await read(response) }),
      );
      outgoing.once('error', reject);
      outgoing.end(body);
    });
  const server = createServer(async (incoming, response) => {
    try {
      const body = await read(incoming);
      const region = /Credential=[^/]+\/\d+\/([^/]+)\//.exec(incoming.headers.authorization ?? '')?.[1] ?? '';
      const key = `${incoming.method} ${incoming.url} ${region} ${body.toString('utf8')}`;
      let answer = answers.get(key);
      if (answer) counts.replayed++;
      else {
        counts.forwarded++;
        answer = forward(incoming, body);
        answers.set(key, answer);
      }
      const { status, headers, body: payload } = await answer;
      if (status !== 200) answers.delete(key);
      await new Promise((resolve) => setTimeout(resolve, latencyMs));
      // Hop-by-hop headers of the recorded answer do not apply to the replay.
      const kept = Object.fromEntries(Object.entries(headers).filter(([name]) => !['transfer-encoding', 'connection', 'keep-alive'].includes(name)));
      response.writeHead(status, { ...kept, 'content-length': payload.length });
      response.end(payload);
    } catch (err) {
      response.writeHead(502).end(String(err));
    }
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    counts,
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
