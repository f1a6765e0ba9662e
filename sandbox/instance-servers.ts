// What runs on the default account's instances: a real sshd for each Linux one, port 3389 (rdp-listener.ts)
// for each Windows one, on the instance's loopback address (its public IP, or a hidden one for a private
// instance). An address some other process holds on that port (another sandbox's) is swapped for a free one.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

import type { InstanceRecord } from './account';
import type { InstanceServer } from './fleet';
import type { KeyStore } from './key-store';
import { freeLoopback, tryBind } from './loopback';
import { RDP_PORT, RdpListener } from './rdp-listener';
import { Sshd } from './sshd';

export interface InstanceServersSpec {
  instances: InstanceRecord[];
  /** Filled as they are made, so that a failure half way still stops those already started. */
  servers: Map<string, InstanceServer>;
  /** The port every sshd listens on. */
  sshPort: number;
  runDir: string;
  keys: KeyStore;
  /** Loopback addresses taken (loopback.ts). */
  used: Set<string>;
  root: boolean;
}

async function bindable(instance: InstanceRecord, port: number, used: Set<string>): Promise<string> {
  if ((await tryBind(instance.address!, port)) === undefined) instance.address = await freeLoopback(used, port);
  return instance.address!;
}

/** Makes the servers of these instances, and starts those of the running ones. */
export async function startInstanceServers(spec: InstanceServersSpec): Promise<void> {
  const { instances, servers, sshPort, runDir, keys, used, root } = spec;
  const withShell = instances.filter((instance) => instance.shell);
  // sshd's privilege-separation directory.
  if (withShell.length > 0 && root) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 });
  await Promise.all(withShell.map(async (instance) => {
    const server = new Sshd({
      instanceId: instance.instanceId,
      host: await bindable(instance, sshPort, used),
      port: sshPort,
      dir: join(runDir, 'instances', instance.instanceId),
      hostname: instance.hostname,
      keyTrust: keys.sshdConfig(instance.instanceId),
    });
    servers.set(instance.instanceId, server);
    instance.hostKeys = await server.prepare();
  }));
  const windows = instances.filter((instance) => instance.family.platform === 'windows' && instance.address && instance.state !== 'terminated');
  for (const instance of windows) {
    servers.set(instance.instanceId, new RdpListener({ instanceId: instance.instanceId, host: await bindable(instance, RDP_PORT, used), port: RDP_PORT }));
  }
  await Promise.all([...withShell, ...windows].filter((instance) => instance.state === 'running')
    .map((instance) => servers.get(instance.instanceId)!.start()));
}
