// A service inside a VPC that only its instances reach, as an internal load balancer or a database is on
// AWS: the thing a port forward through an instance is for. It is an HTTP server on a private address of the
// VPC (no instance's), answering `GET /` with a line naming itself and the OS user who called.
//
// "Only its instances reach it" is checked for real, on every connection: the calling socket (found in
// /proc/net/tcp, both ends being on this machine) must be held by a process under the sshd of one of the
// VPC's instances, which is where sshd's forwarded (direct-tcpip) connections come from, made by the logged-in
// user's session process. Anyone else (the test process, an instance of another VPC) gets 403 and why.
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';

import { nameOf, privateIpOf, type Vpc } from './account';
import type { Fleet } from './fleet';
import { tryBind } from './loopback';
import { clientSocketOf } from './proc-net-tcp';
import { descendantsOfEach, socketHolders } from './processes';

const INTERNAL_SERVICE_PORT = 8080;

export interface InternalServiceSpec {
  name: string;
  /** What it is known as inside the VPC (as root, it resolves through /etc/hosts). */
  dnsName: string;
  vpcId: string;
  subnetId: string;
  host: string;
  port: number;
}

/** The sshd listeners of the VPC's instances that run now. */
export type VpcSshds = () => { pid: number; instanceId: string; name: string }[];

interface Caller {
  user: string;
  instanceId: string;
  name: string;
}

/** An internal load balancer's DNS name, as AWS gives one: `internal-<name>-<10 digits>.<region>.elb.amazonaws.com`. */
function internalDnsName(name: string, region: string): string {
  return `internal-${name}-${randomInt(1_000_000_000, 10_000_000_000)}.${region}.elb.amazonaws.com`;
}

/**
 * An address of the subnet (`a.b.c.0/20`) that is no instance's private IP (`taken`) and that this machine lets
 * it listen on (another sandbox's service may hold one): not among the first four nor the last, which AWS
 * keeps for itself in every subnet.
 */
async function pickServiceAddress(subnetCidr: string, taken: Set<string>, port: number): Promise<string> {
  const [a, b, c] = subnetCidr.split('/')[0].split('.').map(Number);
  const span = 2 ** (24 - Number(subnetCidr.split('/')[1]));
  for (let attempt = 0; attempt < 100; attempt++) {
    const address = `${a}.${b}.${c + randomInt(0, span)}.${randomInt(4, 251)}`;
    if (!taken.has(address) && (await tryBind(address, port)) === port) return address;
  }
  throw new Error(`no free address in ${subnetCidr} for a service on port ${port} after 100 tries`);
}

function userNameOf(uid: number): string {
  try {
    const line = readFileSync('/etc/passwd', 'utf8').split('\n').find((entry) => entry.split(':')[2] === String(uid));
    return line?.split(':')[0] ?? `uid ${uid}`;
  } catch {
    return `uid ${uid}`;
  }
}

export class InternalService {
  private readonly server: Server;
  private readonly callers = new WeakMap<Socket, Caller | undefined>();

  constructor(readonly spec: InternalServiceSpec, private readonly sshds: VpcSshds, private readonly log: (line: string) => void) {
    this.server = createServer((request, response) => this.answer(request, response));
    // At once, while the caller's socket is surely there.
    this.server.on('connection', (socket: Socket) => this.callers.set(socket, this.callerOf(socket)));
  }

  async listen(): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen({ host: this.spec.host, port: this.spec.port, exclusive: true }, () => resolve());
    });
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  closeSync(): void {
    this.server.closeAllConnections();
    if (this.server.listening) this.server.close();
  }

  /** The instance (and its OS user) whose sshd made this connection, if one of the VPC's did. */
  private callerOf(socket: Socket): Caller | undefined {
    const { remoteAddress, remotePort, localAddress, localPort } = socket;
    if (!remoteAddress || !remotePort || !localAddress || !localPort) return undefined;
    const client = clientSocketOf({ address: remoteAddress, port: remotePort }, { address: localAddress, port: localPort });
    if (!client) return undefined;
    const sshds = this.sshds();
    const under = descendantsOfEach(sshds.map((sshd) => sshd.pid));
    const sshd = sshds.find((candidate) => socketHolders(client.inode, under.get(candidate.pid) ?? []).length > 0);
    return sshd && { user: userNameOf(client.uid), instanceId: sshd.instanceId, name: sshd.name };
  }

  private answer(request: IncomingMessage, response: ServerResponse): void {
    request.resume();
    const caller = this.callers.get(request.socket);
    const { name, vpcId } = this.spec;
    const send = (status: number, body: string, headers: Record<string, string> = {}): void => {
      response.writeHead(status, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(body), ...headers });
      response.end(request.method === 'HEAD' ? undefined : body);
    };
    if (!caller) {
      this.log(`${name}: refused ${request.socket.remoteAddress}:${request.socket.remotePort} (not from an instance of ${vpcId})`);
      send(403, `${name} is reachable only from inside ${vpcId}: connect through one of its instances (an SSH port forward, say)\n`);
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      send(405, `${name} answers GET only\n`, { allow: 'GET, HEAD' });
      return;
    }
    if (new URL(request.url ?? '/', 'http://service').pathname !== '/') {
      send(404, `${name} has nothing at ${request.url}\n`);
      return;
    }
    send(200, `${name}: hello ${caller.user} on ${caller.instanceId} (${caller.name})\n`);
  }
}

/** `internal-metrics`, in the VPC's first subnet, answering the VPC's instances (those the fleet runs an sshd for). */
export async function startInternalService(vpc: Vpc, fleet: Fleet, log: (line: string) => void): Promise<InternalService> {
  const [subnet] = vpc.subnets;
  const service = new InternalService({
    name: 'internal-metrics',
    dnsName: internalDnsName('metrics', vpc.region),
    vpcId: vpc.vpcId,
    subnetId: subnet.subnetId,
    host: await pickServiceAddress(subnet.cidr, new Set(fleet.instances.map(privateIpOf)), INTERNAL_SERVICE_PORT),
    port: INTERNAL_SERVICE_PORT,
  }, () => fleet.instances.flatMap((instance) => {
    const pid = instance.vpcId === vpc.vpcId ? fleet.sshd(instance.instanceId)?.pid : undefined;
    return pid ? [{ pid, instanceId: instance.instanceId, name: nameOf(instance) }] : [];
  }), log);
  await service.listen();
  return service;
}
