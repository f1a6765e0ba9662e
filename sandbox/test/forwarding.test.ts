// Port forwarding through the sandbox's instances with real OpenSSH: the VPC's internal service answers only
// through an instance of its VPC, the SSH connections an instance's sshd accepted are counted, and the
// AllowTcpForwarding fault makes sshd refuse forwards until the faults are cleared.
import assert from 'node:assert/strict';
import { get } from 'node:http';
import { after, before, test } from 'node:test';

import { type Sandbox, type SandboxInternalService, startSandbox } from '../index';
import { instanceNamed } from './helpers';
import { forward, pushedKeyFile, waitUntil } from './openssh';

const root = process.getuid?.() === 0;
let sandbox: Sandbox;
let service: SandboxInternalService;

before(async () => {
  sandbox = await startSandbox();
  [service] = sandbox.manifest.internalServices;
});

after(async () => {
  await sandbox?.stop();
});

/**
 * One GET on a new TCP connection (no keep-alive pool): status and body. A connection that neither answers nor
 * closes within `timeoutMs` is given up (an error, not a wait).
 */
function fetchOnce(host: string, port: number, timeoutMs = 10_000): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const request = get({ host, port, path: '/', agent: false }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => {
        body += chunk.toString();
      });
      response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
    });
    request.setTimeout(timeoutMs, () => request.destroy(new Error(`no answer from ${host}:${port} in ${timeoutMs} ms`)));
    request.once('error', reject);
  });
}

async function through(name: string, to: string): Promise<{ status: number; body: string }> {
  const instance = instanceNamed(sandbox, name);
  const key = await pushedKeyFile(sandbox, instance);
  const tunnel = await forward(instance, key.file, to).finally(key.done);
  try {
    return await fetchOnce('127.0.0.1', tunnel.port);
  } finally {
    await tunnel.close();
  }
}

test('the internal service is a private address of the main VPC that is no instance\'s', () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  assert.equal(service.name, 'internal-metrics');
  assert.equal(service.vpcId, web.vpcId);
  assert.equal(service.port, 8080);
  assert.match(service.host, /^127\.100\.([0-9]|1[0-5])\.\d+$/, 'in subnet A1, 127.100.0.0/20');
  assert.match(service.dnsName, /^internal-metrics-\d{10}\.us-east-1\.elb\.amazonaws\.com$/);
  assert.ok(!sandbox.manifest.instances.some((instance) => instance.privateIp === service.host));
});

test('a direct caller is refused: it is reachable only from inside its VPC', async () => {
  const direct = await fetchOnce(service.host, service.port);
  assert.equal(direct.status, 403);
  assert.match(direct.body, new RegExp(`reachable only from inside ${service.vpcId}`));
});

test('an OpenSSH -L forward through an instance of the VPC reaches it, as that instance\'s OS user', async () => {
  const web = instanceNamed(sandbox, 'web-prod-1');
  const answer = await through('web-prod-1', `${service.host}:${service.port}`);
  assert.equal(answer.status, 200);
  assert.equal(answer.body, `internal-metrics: hello ${web.osUser} on ${web.instanceId} (web-prod-1)\n`);
});

test('its DNS name resolves for sshd (through /etc/hosts)', { skip: root ? false : 'needs root: nothing resolves the name otherwise' }, async () => {
  const answer = await through('db-internal', `${service.dnsName}:${service.port}`);
  assert.equal(answer.status, 200);
  assert.match(answer.body, /\(db-internal\)\n$/);
});

test('a forward through an instance of another VPC is refused', async () => {
  const answer = await through('eu-web-1', `${service.host}:${service.port}`);
  assert.equal(answer.status, 403);
});

test('sshConnections counts the SSH connections, not the connections forwarded over them', async () => {
  const api = instanceNamed(sandbox, 'api-staging');
  const before = sandbox.sshConnections(api.instanceId);
  assert.equal(before.open, 0);
  const key = await pushedKeyFile(sandbox, api);
  const forwards = await Promise.all([forward(api, key.file, `${service.host}:${service.port}`), forward(api, key.file, `${service.host}:${service.port}`)])
    .finally(key.done);
  try {
    await waitUntil(() => sandbox.sshConnections(api.instanceId).total === before.total + 2, 'sshd logged two connections');
    assert.equal(sandbox.sshConnections(api.instanceId).open, 2);
    const answers = await Promise.all(Array.from({ length: 10 }, (_, index) => fetchOnce('127.0.0.1', forwards[index % 2].port)));
    assert.deepEqual(answers.map((answer) => answer.status), Array(10).fill(200));
    assert.deepEqual(sandbox.sshConnections(api.instanceId), { open: 2, total: before.total + 2 }, 'ten HTTP connections, still two SSH ones');
  } finally {
    await Promise.all(forwards.map((tunnel) => tunnel.close()));
  }
  await waitUntil(() => sandbox.sshConnections(api.instanceId).open === 0, 'both connections have ended at the sshd');
  assert.equal(sandbox.sshConnections(api.instanceId).total, before.total + 2);
  assert.throws(() => sandbox.sshConnections(instanceNamed(sandbox, 'build-windows').instanceId), /has no sshd/);
});

test('AllowTcpForwarding no refuses a forward ("administratively prohibited"); clearFaults allows it again', async () => {
  const cache = instanceNamed(sandbox, 'cache-internal');
  let key = await pushedKeyFile(sandbox, cache);
  try {
    // Through the control endpoint, as a test in another process would.
    const injected = await fetch(`${sandbox.manifest.endpoint}/_sandbox/faults`, {
      method: 'POST', body: JSON.stringify({ instanceId: cache.instanceId, allowTcpForwarding: false }),
    });
    assert.equal(injected.status, 200);
    const refused = await forward(cache, key.file, `${service.host}:${service.port}`);
    try {
      await assert.rejects(fetchOnce('127.0.0.1', refused.port));
      await waitUntil(() => /administratively prohibited/.test(refused.stderr()), 'ssh reports the refusal');
    } finally {
      await refused.close();
    }
    await sandbox.clearFaults();
    // A key of its own: a pushed key is good for 60 seconds, which a slow machine can spend on the refusal.
    key.done();
    key = await pushedKeyFile(sandbox, cache);
    const allowed = await forward(cache, key.file, `${service.host}:${service.port}`);
    try {
      assert.equal((await fetchOnce('127.0.0.1', allowed.port)).status, 200);
    } finally {
      await allowed.close();
    }
  } finally {
    key.done();
  }
  const bad = async (fault: unknown) => (await fetch(`${sandbox.manifest.endpoint}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(fault) })).status;
  assert.equal(await bad({ instanceId: 'i-0123456789abcdef0', allowTcpForwarding: false }), 400);
  assert.equal(await bad({ instanceId: instanceNamed(sandbox, 'rdp-windows').instanceId, allowTcpForwarding: false }), 400);
  assert.equal(await bad({ instanceId: cache.instanceId, allowTcpForwarding: true }), 400);
});
