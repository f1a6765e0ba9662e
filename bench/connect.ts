/**
 * connect: from "connect" to the first byte of the shell's prompt, 20 runs each, interleaved in one run:
 * our core (a fresh key pushed with SendSSHPublicKey, then ssh2) against OpenSSH `ssh` with a key that is
 * already authorized (the floor: no push at all), and against the two-step path users take today
 * (`aws ec2-instance-connect send-ssh-public-key`, then `ssh -i`). Targets: ≤ 1.25 × the floor, ≤ ⅓ of the two-step path,
 * judged run by run (stats.ts atMost): this figure has measured 0.98–1.25× of OpenSSH across runs on a loaded machine.
 */
import { join } from 'node:path';

import { awsCliVersion, openSshVersion, sshArgs, sshFirstByte, sshKeygen, twoStep } from './peers';
import { startProbe } from './probeProcess';
import type { SshBench } from './sshBench';
import { atMost, type Figure, pairedRatios, pairedRunsFigure } from './stats';

export async function connectBenchmark(bench: SshBench, runs = 20): Promise<Figure[]> {
  const { instance, sandbox } = bench;
  const aws = awsCliVersion();
  const userKey = sshKeygen(join(sandbox.dir, 'user_ed25519'));
  const probe = startProbe(sandbox.dir, sandbox.env);
  const ours: number[] = [];
  const floor: number[] = [];
  const two: number[] = [];
  try {
    const once = async (record: boolean) => {
      const mine = await probe.request<{ ms: number }>({ op: 'connect', target: bench.target });
      const openssh = await sshFirstByte(sshArgs(instance, bench.floorKey, bench.knownHosts));
      const twoSteps = aws ? await twoStep(instance, userKey, bench.knownHosts, sandbox.env) : undefined;
      if (!record) return;
      ours.push(mine.ms);
      floor.push(openssh);
      if (twoSteps !== undefined) two.push(twoSteps);
    };
    // One run each first, not counted: the first host key seen, the image described once, connections to the API opened.
    await once(false);
    for (let i = 0; i < runs; i++) await once(true);
  } finally {
    await probe.exit();
  }
  const context = `${instance.osUser}@${instance.host}:${instance.port} (sandbox sshd); one warm-up run each not counted`;
  const ratio = (v: number) => `${v.toFixed(2)}×`;
  const vsFloor = pairedRunsFigure('connect.vsOpenSSH', 'ms', ours, { name: `${openSshVersion().split(',')[0]} with an already-authorized key`, values: floor });
  vsFloor.target = atMost(pairedRatios(ours, floor), 1.25, '≤ 1.25 × OpenSSH', ratio);
  vsFloor.note = `ours: a fresh ed25519 key, SendSSHPublicKey while the ssh2 handshake runs, authentication, shell; the floor: no push; ${context}`;
  if (!aws) {
    return [vsFloor, { name: 'connect.vsTwoStep', unit: 'ms', ours: vsFloor.ours, note: 'the AWS CLI (`aws`) is not installed on this machine: peer unavailable' }];
  }
  const vsTwo = pairedRunsFigure('connect.vsTwoStep', 'ms', ours, { name: `${aws.split(' ')[0]} send-ssh-public-key, then ssh -i`, values: two });
  vsTwo.target = atMost(pairedRatios(ours, two), 1 / 3, '≤ ⅓ of the two-step path', ratio);
  vsTwo.note = `the two-step path: the AWS CLI pushes the user's key, then ssh -i; ${context}`;
  return [vsFloor, vsTwo];
}
