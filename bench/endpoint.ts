/**
 * endpoint: the same instance reached two ways in one run, interleaved: through its EC2 Instance Connect
 * Endpoint (a fresh presigned TLS WebSocket per connection, as on AWS) against straight to its address.
 * Connect → first byte of the prompt (target: ≤ 1.3 × direct), and bulk throughput of a command's output
 * without a pty (through the tunnel against direct; AWS throttles endpoint traffic, the sandbox does not).
 */
import { startProbe } from './probeProcess';
import type { ThroughputResult } from './sessionProbe';
import type { SshBench } from './sshBench';
import { type Figure, figure } from './stats';

export interface EndpointOptions {
  runs?: number;
  bytes?: number;
}

export async function endpointBenchmark(bench: SshBench, options: EndpointOptions = {}): Promise<Figure[]> {
  const runs = options.runs ?? 20;
  const bytes = options.bytes ?? 64 * 2 ** 20;
  const { sandbox } = bench;
  const env = { ...sandbox.env, NODE_EXTRA_CA_CERTS: sandbox.manifest.caFile };
  const direct = { ...bench.target, connectionType: 'direct' as const };
  const tunnel = { ...bench.target, connectionType: 'eice' as const };
  const probe = startProbe(sandbox.dir, env);
  const viaEndpoint: number[] = [];
  const straight: number[] = [];
  try {
    // Not counted: the host key seen once, the image and the endpoints looked up once, TLS session caches warm.
    await probe.request({ op: 'connect', target: tunnel });
    await probe.request({ op: 'connect', target: direct });
    for (let i = 0; i < runs; i++) {
      viaEndpoint.push((await probe.request<{ ms: number }>({ op: 'connect', target: tunnel })).ms);
      straight.push((await probe.request<{ ms: number }>({ op: 'connect', target: direct })).ms);
    }
  } finally {
    await probe.exit();
  }
  const connect = figure('endpoint.connect', 'ms', viaEndpoint, { name: 'the same instance, direct', values: straight });
  connect.target = { text: '≤ 1.3 × direct', met: (connect.ratio ?? Infinity) <= 1.3 };
  connect.note =
    `connect → first byte of the prompt on ${bench.instance.name} (sandbox sshd), ours both ways; through the endpoint: DescribeInstanceConnectEndpoints once (cached), ` +
    'then per connection a SigV4-presigned URL, TLS and the WebSocket upgrade to the endpoint (loopback, port 443), with the key push overlapping them';

  const mbps = (r: ThroughputResult) => bytes / 2 ** 20 / (r.ms / 1000);
  const tunnelled: ThroughputResult[] = [];
  const plain: ThroughputResult[] = [];
  const transfers = Math.max(1, Math.ceil(runs / 4));
  for (let i = 0; i < transfers; i++) {
    for (const [target, into] of [[tunnel, tunnelled], [direct, plain]] as const) {
      const p = startProbe(sandbox.dir, env);
      try {
        into.push(await p.request<ThroughputResult>({ op: 'throughput', target, bytes, pty: false }));
      } finally {
        await p.exit();
      }
    }
  }
  const speed = figure('endpoint.throughputMBps', 'MB/s', tunnelled.map(mbps), { name: 'the same instance, direct', values: plain.map(mbps) });
  speed.note = `${(bytes / 2 ** 20).toFixed(0)} MB of \`head -c\` without a pty into TerminalSession, through the tunnel (binary frames of ≤ 65,000 bytes) against direct TCP; no target: AWS throttles heavy transfers through an endpoint`;
  return [connect, speed];
}
