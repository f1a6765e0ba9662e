// Puts the sandbox together: account, instance servers (sshd, Windows' port 3389), the VPC's internal
// service, serial console, Instance Connect Endpoints, HTTP endpoint; and takes it apart.
import { rmSync } from 'node:fs';
import { userInfo } from 'node:os';
import { join } from 'node:path';

import { buildAccount, type InstanceRecord, nameOf, privateIpOf, publicIpOf, type Vpc } from './account';
import { leafCertificate, sandboxCaFile } from './ca';
import { placeholderHostKeys } from './console-output';
import { ControlError, Endpoint } from './endpoint';
import { EndpointRegistry } from './endpoint-registry';
import { addHostsEntry, removeHostsEntries, removeStaleHostsEntries } from './etc-hosts';
import { registerForExit } from './exit-cleanup';
import { FaultTable } from './faults';
import { Fleet, type InstanceServer } from './fleet';
import { newCredentials } from './ids';
import type { Sandbox, SandboxInstance, SandboxManifest, SandboxOptions } from './index';
import { startInstanceServers } from './instance-servers';
import { type InternalService, startInternalService } from './internal-service';
import { KeyStore } from './key-store';
import { chooseSshPort, freeLoopback, randomLoopback } from './loopback';
import { OsUserHold } from './os-users';
import { parseFault } from './parse-fault';
import { RdpListener } from './rdp-listener';
import { DEFAULT_REGIONS, regionInfo } from './regions';
import { createRunDir, reapStaleRuns } from './run-dir';
import { SerialConsole } from './serial-console';
import { Sshd } from './sshd';
import { TunnelFaults } from './tunnel-faults';
import { MAX_TUNNEL_DURATION_S, TunnelServer } from './tunnel-server';

function manifestInstance(instance: InstanceRecord, port: number, server: InstanceServer | undefined): SandboxInstance {
  return {
    instanceId: instance.instanceId,
    region: instance.region,
    availabilityZone: instance.availabilityZone,
    state: instance.state,
    osUser: instance.osUser,
    // Its public IP, or its private IP when it has none: the loopback address its sshd listens on.
    host: instance.address ?? '',
    port,
    vpcId: instance.vpcId,
    subnetId: instance.subnetId,
    privateIp: privateIpOf(instance),
    publicIp: publicIpOf(instance) ?? null,
    serial: instance.nitro && !instance.family.platform,
    name: nameOf(instance),
    ...(instance.family.platform ? { platform: instance.family.platform } : {}),
    ...(server instanceof RdpListener ? { rdp: { host: server.spec.host, port: server.spec.port } } : {}),
  };
}

function validate(options: SandboxOptions): string[] {
  const regions = options.regions ?? DEFAULT_REGIONS;
  if (regions.length === 0) throw new Error('regions must name at least one region');
  const unknown = regions.find((region) => !regionInfo(region));
  if (unknown) throw new Error(`unknown region ${unknown}`);
  const count = options.instances ?? 0;
  if (!Number.isInteger(count) || count < 0) throw new Error(`instances must be a whole number, got ${count}`);
  const prefix = options.osUserPrefix ?? '';
  // useradd's rule for names, and its limit of 32 characters with the longest family user (ec2-user).
  if (!/^([a-z_][a-z0-9_-]*)?$/.test(prefix) || prefix.length > 24) throw new Error(`osUserPrefix must be up to 24 of a-z 0-9 - _, got "${prefix}"`);
  const positive = (name: keyof SandboxOptions, value: number | undefined, integer: boolean): void => {
    if (value !== undefined && !(value > 0 && (!integer || Number.isInteger(value)))) throw new Error(`${name} must be a ${integer ? 'whole ' : ''}number > 0, got ${value}`);
  };
  positive('maxTunnelDurationSeconds', options.maxTunnelDurationSeconds, false);
  positive('maxEndpointConnections', options.maxEndpointConnections, true);
  if (options.endpointCreateSeconds !== undefined && !(options.endpointCreateSeconds >= 0)) throw new Error(`endpointCreateSeconds must be ≥ 0, got ${options.endpointCreateSeconds}`);
  return regions;
}

export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const regions = validate(options);
  const log = options.log ?? (() => undefined);
  const ssh = options.ssh ?? true;
  const root = process.getuid?.() === 0;
  reapStaleRuns(log);
  // After the reaping: a line whose run directory is gone belongs to a sandbox that is gone.
  if (root) removeStaleHostsEntries();
  const caFile = sandboxCaFile();
  const runDir = createRunDir();
  const servers = new Map<string, InstanceServer>();
  let fleet: Fleet | undefined;
  let internalService: InternalService | undefined;
  let endpoints: EndpointRegistry | undefined;
  let serial: SerialConsole | undefined;
  let endpoint: Endpoint | undefined;
  // As root: the OS users the instances log in as, removed when the last sandbox holding them stops.
  const osUsers = root ? new OsUserHold(runDir, log) : undefined;
  const unregister = registerForExit(() => {
    endpoints?.closeSync();
    internalService?.closeSync();
    if (root) removeHostsEntries(runDir);
    serial?.endSessionsSync();
    for (const server of servers.values()) server.killSync();
    rmSync(runDir, { recursive: true, force: true });
    osUsers?.releaseSync();
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      await endpoint?.close();
      await endpoints?.close();
      await internalService?.close();
      if (root) removeHostsEntries(runDir);
      await serial?.close();
      if (fleet) await fleet.shutdown();
      else await Promise.all([...servers.values()].map((server) => server.stop()));
      rmSync(runDir, { recursive: true, force: true });
      // Every sshd and serial session is gone: nothing runs as the users any more.
      try {
        await osUsers?.release();
      } finally {
        unregister();
      }
      log('sandbox stopped');
    })();
    return stopping;
  };

  try {
    const keys = new KeyStore(runDir, root ? 'command' : 'file', options.keyWindowSeconds ?? 60);
    const port = ssh ? await chooseSshPort() : 22;
    const used = new Set<string>();
    const { vpcs, instances } = buildAccount({
      regions,
      generated: options.instances ?? 0,
      allocateAddress: () => {
        let address = randomLoopback();
        while (used.has(address)) address = randomLoopback();
        used.add(address);
        return address;
      },
      osUserOverride: root ? undefined : userInfo().username,
      osUserPrefix: options.osUserPrefix,
    });

    const withServers = ssh ? instances.filter((instance) => instance.inManifest) : [];
    // Also with no users to hold: clears the users of sandboxes killed with SIGKILL.
    await osUsers?.acquire(withServers.filter((instance) => instance.shell).map((instance) => instance.osUser));
    await startInstanceServers({ instances: withServers, servers, sshPort: port, runDir, keys, used, root });
    for (const instance of instances) {
      if (instance.hostKeys.length === 0) instance.hostKeys = placeholderHostKeys(instance);
    }

    const activeFleet = new Fleet(instances, servers, { transitionMs: (options.transitionSeconds ?? 2) * 1000, log });
    fleet = activeFleet;
    // In the main VPC of the first region (the one with an endpoint), subnet A1: what a forward through one of
    // its instances reaches and nothing else does.
    const [mainVpc] = vpcs;
    if (ssh) {
      internalService = await startInternalService(mainVpc, activeFleet, log);
      if (root) addHostsEntry(runDir, { address: internalService.spec.host, names: [internalService.spec.dnsName] });
    }
    const activeSerial = new SerialConsole({ fleet: activeFleet, keys, teardownMs: (options.serialTeardownSeconds ?? 0) * 1000, log });
    serial = activeSerial;
    await activeSerial.listen();

    const credentials = newCredentials();
    const faults = new FaultTable();
    const tunnelFaults = new TunnelFaults();
    const startServer = async (record: { instanceConnectEndpointId: string; region: string; vpc: Vpc; dnsName: string; fipsDnsName: string }): Promise<TunnelServer> => {
      // As root, AWS's way: port 443 of an address of its own, which its DNS name resolves to.
      const host = root ? await freeLoopback(used, 443) : '127.0.0.1';
      const server = new TunnelServer({
        endpoint: { instanceConnectEndpointId: record.instanceConnectEndpointId, region: record.region, vpc: record.vpc },
        tls: leafCertificate([record.dnsName, record.fipsDnsName], join(runDir, 'endpoints', record.instanceConnectEndpointId)),
        host,
        port: root ? 443 : 0,
        credentials,
        instanceAt: (privateIp) => instances.find((instance) => instance.vpcId === record.vpc.vpcId && privateIpOf(instance) === privateIp),
        sshPort: port,
        maxConnections: options.maxEndpointConnections ?? 20,
        maxDurationSeconds: Math.min(options.maxTunnelDurationSeconds ?? MAX_TUNNEL_DURATION_S, MAX_TUNNEL_DURATION_S),
        faults: tunnelFaults,
        log,
      });
      await server.listen();
      if (root) addHostsEntry(runDir, { address: host, names: [record.dnsName, record.fipsDnsName] });
      return server;
    };
    const activeEndpoints = new EndpointRegistry({
      transitionMs: (options.endpointCreateSeconds ?? 3) * 1000,
      startServer,
      stopServer: async (record, server) => {
        if (root) removeHostsEntries(runDir, [record.dnsName]);
        await server.close();
      },
      log,
    });
    endpoints = activeEndpoints;
    // The first region's main VPC has one, in its first subnet (where db-internal is); the isolated VPC has none.
    await activeEndpoints.addExisting({
      vpc: mainVpc,
      subnetId: mainVpc.subnets[0].subnetId,
      preserveClientIp: false,
      securityGroupIds: [mainVpc.securityGroupId],
      tags: [['Name', 'default-eice']],
      createdAt: new Date(Date.now() - 45 * 86_400_000),
    });
    const account = {
      endpoints: activeEndpoints,
      vpcs,
      fleet: activeFleet,
      regions,
      keys,
      serialConsoleAccess: options.serialConsoleAccess ?? true,
      serialSessionOpen: (instanceId: string) => activeSerial.isBusy(instanceId),
    };
    const manifest = (): SandboxManifest => ({
      endpoint: activeEndpoint.url,
      regions: [...regions],
      credentials: { ...credentials },
      instances: instances.filter((instance) => instance.inManifest).map((instance) => manifestInstance(instance, port, servers.get(instance.instanceId))),
      serialConsole: { host: activeSerial.host, port: activeSerial.port, fingerprint: activeSerial.fingerprint },
      caFile,
      instanceConnectEndpoints: activeEndpoints.records.flatMap((record) => {
        const server = activeEndpoints.servers.get(record.instanceConnectEndpointId);
        if (!server || record.state !== 'create-complete') return [];
        const { instanceConnectEndpointId, region, subnetId, dnsName } = record;
        return [{ instanceConnectEndpointId, region, vpcId: record.vpc.vpcId, subnetId, dnsName, host: server.host, port: server.port }];
      }),
      internalServices: internalService ? [{ ...internalService.spec }] : [],
    });
    const sshdOf = (instanceId: string): Sshd => {
      const server = servers.get(instanceId);
      if (server instanceof Sshd) return server;
      throw new ControlError(instances.some((instance) => instance.instanceId === instanceId) ? `${instanceId} has no sshd` : `no instance ${instanceId}`);
    };
    // Instances whose sshd has AllowTcpForwarding no, until the faults are cleared.
    const noForwarding = new Set<string>();
    const injectFault = async (input: unknown): Promise<void> => {
      const fault = parseFault(input);
      if ('allowTcpForwarding' in fault) {
        await sshdOf(fault.instanceId).setTcpForwarding(false);
        noForwarding.add(fault.instanceId);
      } else if ('latencyMs' in fault) faults.latencyMs = fault.latencyMs;
      else if ('dropSsh' in fault) {
        if (!instances.some((instance) => instance.instanceId === fault.dropSsh)) throw new ControlError(`no instance ${fault.dropSsh}`);
        log(`dropSsh ${fault.dropSsh}: ended ${activeFleet.dropSsh(fault.dropSsh)} sshd session processes`);
      } else if ('operation' in fault) faults.addCallFault(fault);
      else if ('endpoint' in fault) tunnelFaults.add(fault);
      else faults.addRegionFault(fault.region, fault.error);
    };
    const clearFaults = async (): Promise<void> => {
      faults.clear();
      tunnelFaults.clear();
      await Promise.all([...noForwarding].map((instanceId) => sshdOf(instanceId).setTcpForwarding(true)));
      noForwarding.clear();
    };
    const setSerialConsoleAccess = (enabled: boolean): void => {
      account.serialConsoleAccess = enabled;
    };
    const activeEndpoint = new Endpoint({
      credentials,
      regions,
      account,
      faults,
      control: { injectFault, clearFaults, setSerialConsoleAccess, manifest },
      log,
    });
    endpoint = activeEndpoint;
    await activeEndpoint.listen();
    log(`sandbox listening on ${activeEndpoint.url} (${instances.length} instances, ${[...servers.values()].filter((server) => server instanceof Sshd).length} sshd on port ${port}, run dir ${runDir})`);

    return {
      get manifest() {
        return manifest();
      },
      env: {
        AWS_ENDPOINT_URL: activeEndpoint.url,
        AWS_ACCESS_KEY_ID: credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        AWS_REGION: regions[0],
      },
      injectFault,
      clearFaults,
      setKeyWindow: (seconds: number) => {
        keys.windowMs = seconds * 1000;
      },
      setSerialConsoleAccess,
      endpointConnections: (id: string) => {
        const counts = activeEndpoints.connections(id);
        if (!counts) throw new Error(`no Instance Connect Endpoint ${id}`);
        return counts;
      },
      sshConnections: (instanceId: string) => sshdOf(instanceId).connections(),
      stop,
      runDir,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
