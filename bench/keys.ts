/**
 * keys: the time to make the one-time key pair of a connection, ed25519 and RSA-2048, median of 100,
 * in our core (ssh2's generator and the well-formedness check, KeyFactory) against `ssh-keygen` (what a
 * user of the two-step path runs; a process start included), interleaved.
 */
import { join } from 'node:path';

import { sshKeygen } from './peers';
import { startProbe } from './probeProcess';
import type { SshBench } from './sshBench';
import { type Figure, figure } from './stats';

export async function keysBenchmark(bench: SshBench, runs = 100): Promise<Figure[]> {
  const probe = startProbe(bench.sandbox.dir, bench.sandbox.env);
  const figures: Figure[] = [];
  try {
    for (const type of ['ed25519', 'rsa'] as const) {
      const mine: number[] = [];
      const peer: number[] = [];
      for (let i = 0; i < runs; i++) {
        mine.push(...(await probe.request<{ ms: number[] }>({ op: 'keys', type, runs: 1 })).ms);
        const started = performance.now();
        sshKeygen(join(bench.sandbox.dir, `keygen_${type}`), type);
        peer.push(performance.now() - started);
      }
      const label = type === 'rsa' ? 'RSA-2048' : 'ed25519';
      const result = figure(`keys.${type}`, 'ms', mine, { name: `ssh-keygen -t ${type}${type === 'rsa' ? ' -b 2048' : ''}`, values: peer });
      result.note = `one ${label} pair in memory (KeyFactory.generate: ssh2's generator, read back to check it is well formed); ssh-keygen includes starting its process and writing the files`;
      figures.push(result);
    }
  } finally {
    await probe.exit();
  }
  return figures;
}
