// EC2 Instance Connect as the SDK sees it: every modeled exception, the service's own validations,
// signature checks, and injected faults.
import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';

import * as eic from '@aws-sdk/client-ec2-instance-connect';
import { SendSerialConsoleSSHPublicKeyCommand, SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';
import { utils } from 'ssh2';

import { type Sandbox, type SandboxInstance, startSandbox } from '../index';
import { eicClient, instanceNamed, newKey } from './helpers';

let sandbox: Sandbox;
let web: SandboxInstance;

before(async () => {
  sandbox = await startSandbox({ ssh: false });
  web = instanceNamed(sandbox, 'web-prod-1');
});

after(async () => {
  await sandbox?.stop();
});

function pushSsh(instance: SandboxInstance, overrides: Partial<eic.SendSSHPublicKeyCommandInput> = {}, client = eicClient(sandbox, instance.region)) {
  return client.send(new SendSSHPublicKeyCommand({
    InstanceId: instance.instanceId, InstanceOSUser: instance.osUser, SSHPublicKey: newKey().publicKey, ...overrides,
  }));
}

function pushSerial(instance: SandboxInstance, overrides: Partial<eic.SendSerialConsoleSSHPublicKeyCommandInput> = {}) {
  return eicClient(sandbox, instance.region).send(new SendSerialConsoleSSHPublicKeyCommand({
    InstanceId: instance.instanceId, SSHPublicKey: newKey().publicKey, ...overrides,
  }));
}

/** Asserts the call fails with this modeled exception class, a request id and the modeled HTTP status. */
async function rejectsWith(call: Promise<unknown>, type: new (...args: never[]) => eic.EC2InstanceConnectServiceException, status?: number): Promise<eic.EC2InstanceConnectServiceException> {
  const error = await call.then(() => assert.fail(`expected ${type.name}`), (caught: unknown) => caught);
  assert.ok(error instanceof type, `expected ${type.name}, got ${String(error)}`);
  const serviceError = error as eic.EC2InstanceConnectServiceException;
  assert.match(serviceError.$metadata.requestId ?? '', /^[0-9a-f-]{36}$/);
  if (status !== undefined) assert.equal(serviceError.$metadata.httpStatusCode, status);
  return serviceError;
}

const EXCEPTIONS: { type: new (...args: never[]) => eic.EC2InstanceConnectServiceException; status: number; serialOnly: boolean }[] = [
  { type: eic.AuthException, status: 403, serialOnly: false },
  { type: eic.EC2InstanceNotFoundException, status: 404, serialOnly: false },
  { type: eic.EC2InstanceTypeInvalidException, status: 400, serialOnly: true },
  { type: eic.InvalidArgsException, status: 400, serialOnly: false },
  { type: eic.SerialConsoleAccessDisabledException, status: 403, serialOnly: true },
  { type: eic.SerialConsoleSessionLimitExceededException, status: 400, serialOnly: true },
  { type: eic.SerialConsoleSessionUnavailableException, status: 500, serialOnly: true },
  { type: eic.ServiceException, status: 500, serialOnly: false },
  { type: eic.ThrottlingException, status: 429, serialOnly: false },
  { type: eic.EC2InstanceStateInvalidException, status: 400, serialOnly: false },
  { type: eic.EC2InstanceUnavailableException, status: 503, serialOnly: false },
  { type: eic.SerialConsoleSessionUnsupportedException, status: 400, serialOnly: true },
];

test('each of the twelve exceptions, injected, reaches the SDK as its modeled class', async () => {
  assert.equal(EXCEPTIONS.length, 12);
  for (const { type, status, serialOnly } of EXCEPTIONS) {
    const operation = serialOnly ? 'SendSerialConsoleSSHPublicKey' : 'SendSSHPublicKey';
    await sandbox.injectFault({ operation, error: type.name, times: 1 });
    const error = await rejectsWith(serialOnly ? pushSerial(web) : pushSsh(web), type, status);
    assert.ok(error.message.length > 0, `${type.name} has a message`);
  }
  // Each fault was used up by its one call.
  assert.equal((await pushSsh(web)).Success, true);
});

test('AuthException names the denied action and the instance', async () => {
  await sandbox.injectFault({ operation: 'SendSSHPublicKey', error: 'AuthException', times: 1 });
  const error = await rejectsWith(pushSsh(web), eic.AuthException);
  assert.match(error.message, new RegExp(`not authorized to perform: ec2-instance-connect:SendSSHPublicKey on resource: .*${web.instanceId}`));
});

test('a fault with times fails that many calls; one with instanceId only that instance', async () => {
  const api = instanceNamed(sandbox, 'api-staging');
  await sandbox.injectFault({ operation: 'SendSSHPublicKey', instanceId: api.instanceId, error: 'EC2InstanceUnavailableException', times: 2 });
  assert.equal((await pushSsh(web)).Success, true);
  await rejectsWith(pushSsh(api), eic.EC2InstanceUnavailableException);
  await rejectsWith(pushSsh(api), eic.EC2InstanceUnavailableException);
  assert.equal((await pushSsh(api)).Success, true);
});

test('the SDK\'s own retries get past a throttle that lasts one call', async () => {
  await sandbox.injectFault({ operation: 'SendSSHPublicKey', error: 'ThrottlingException', times: 1 });
  const retrying = new eic.EC2InstanceConnectClient({
    region: web.region, endpoint: sandbox.manifest.endpoint, credentials: sandbox.manifest.credentials, maxAttempts: 3,
  });
  const result = await pushSsh(web, {}, retrying);
  assert.equal(result.Success, true);
  assert.equal(result.$metadata.attempts, 2);
});

test('the service\'s own validations answer with their modeled exceptions', async () => {
  const short = newKey().publicKey.slice(0, 79);
  await rejectsWith(pushSsh(web, { SSHPublicKey: short }), eic.InvalidArgsException, 400);
  const ecdsa = utils.generateKeyPairSync('ecdsa', { bits: 256 }).public;
  const ecdsaError = await rejectsWith(pushSsh(web, { SSHPublicKey: ecdsa }), eic.InvalidArgsException);
  assert.match(ecdsaError.message, /ecdsa-sha2-nistp256 is not supported/);
  const rsa1024 = utils.generateKeyPairSync('rsa', { bits: 1024 }).public;
  await rejectsWith(pushSsh(web, { SSHPublicKey: rsa1024 }), eic.InvalidArgsException);
  const rsa2048 = utils.generateKeyPairSync('rsa', { bits: 2048 }).public;
  assert.equal((await pushSsh(web, { SSHPublicKey: rsa2048 })).Success, true);
  assert.equal((await pushSsh(web, { AvailabilityZone: web.availabilityZone })).Success, true);
  await rejectsWith(pushSsh(web, { AvailabilityZone: 'us-east-1f' }), eic.InvalidArgsException);
  await rejectsWith(pushSsh(web, { InstanceOSUser: 'bad user' }), eic.InvalidArgsException);
  await rejectsWith(pushSsh({ ...web, instanceId: 'i-0123456789abcdef0' }), eic.EC2InstanceNotFoundException, 404);
  // The instance exists, but in another region than the client's.
  await rejectsWith(pushSsh(web, {}, eicClient(sandbox, 'eu-west-1')), eic.EC2InstanceNotFoundException);
  await rejectsWith(pushSsh(instanceNamed(sandbox, 'batch-worker')), eic.EC2InstanceStateInvalidException, 400);
  await rejectsWith(pushSsh(instanceNamed(sandbox, 'old-bastion')), eic.EC2InstanceStateInvalidException);
});

test('serial console pushes: port 0 only, Nitro only, running only, access enabled', async () => {
  assert.equal((await pushSerial(web)).Success, true);
  await rejectsWith(pushSerial(web, { SerialPort: 1 }), eic.InvalidArgsException, 400);
  await rejectsWith(pushSerial(instanceNamed(sandbox, 'legacy-reports')), eic.EC2InstanceTypeInvalidException, 400);
  await rejectsWith(pushSerial(instanceNamed(sandbox, 'batch-worker')), eic.EC2InstanceStateInvalidException);
  sandbox.setSerialConsoleAccess(false);
  try {
    await rejectsWith(pushSerial(web), eic.SerialConsoleAccessDisabledException, 403);
  } finally {
    sandbox.setSerialConsoleAccess(true);
  }
  const response = await fetch(`${sandbox.manifest.endpoint}/_sandbox/serial-console-access`, { method: 'POST', body: JSON.stringify({ enabled: false }) });
  assert.equal(response.status, 200);
  await rejectsWith(pushSerial(web), eic.SerialConsoleAccessDisabledException);
  sandbox.setSerialConsoleAccess(true);
});

test('a request signed with the wrong secret is refused with InvalidSignatureException', async () => {
  const error = await pushSsh(web, {}, eicClient(sandbox, web.region, 'wrong-secret-wrong-secret-wrong-secret-00')).then(
    () => assert.fail('expected a signature error'), (caught: eic.EC2InstanceConnectServiceException) => caught);
  assert.equal(error.name, 'InvalidSignatureException');
  assert.equal(error.$metadata.httpStatusCode, 400);
  assert.match(error.message, /signature we calculated does not match/);
});

test('an unknown access key is UnrecognizedClientException; a skewed clock, Signature expired', async () => {
  const { endpoint, credentials } = sandbox.manifest;
  const stranger = new eic.EC2InstanceConnectClient({
    region: web.region, endpoint, credentials: { ...credentials, accessKeyId: 'AKIAIOSFODNN7EXAMPLE' }, maxAttempts: 1,
  });
  const unknown = await pushSsh(web, {}, stranger).then(() => assert.fail('expected an error'), (caught: Error) => caught);
  assert.equal(unknown.name, 'UnrecognizedClientException');
  const late = new eic.EC2InstanceConnectClient({
    region: web.region, endpoint, credentials, maxAttempts: 1, systemClockOffset: -10 * 60 * 1000,
  });
  const expired = await pushSsh(web, {}, late).then(() => assert.fail('expected an error'), (caught: Error) => caught);
  assert.equal(expired.name, 'InvalidSignatureException');
  assert.match(expired.message, /^Signature expired: \d{8}T\d{6}Z is now earlier than/);
});

test('faults over HTTP: POST adds, DELETE clears, a fault it cannot understand is a 400', async () => {
  const { endpoint } = sandbox.manifest;
  const post = (body: unknown) => fetch(`${endpoint}/_sandbox/faults`, { method: 'POST', body: JSON.stringify(body) });
  assert.equal((await post({ operation: 'SendSSHPublicKey', error: 'ServiceException' })).status, 200);
  await rejectsWith(pushSsh(web), eic.ServiceException, 500);
  await rejectsWith(pushSsh(web), eic.ServiceException);
  assert.equal((await fetch(`${endpoint}/_sandbox/faults`, { method: 'DELETE' })).status, 200);
  assert.equal((await pushSsh(web)).Success, true);

  for (const bad of [{ operation: 'SendSshKey', error: 'ServiceException' }, { operation: 'SendSSHPublicKey', error: 'UnauthorizedOperation' }, { nonsense: true }]) {
    const response = await post(bad);
    assert.equal(response.status, 400, JSON.stringify(bad));
    assert.ok(((await response.json()) as { error: string }).error);
  }
  await assert.rejects(sandbox.injectFault({ operation: 'DescribeInstances', error: 'AuthException' }), /not an EC2 error code/);
});

test('latency applies to every call until cleared', async () => {
  await sandbox.injectFault({ latencyMs: 300 });
  const started = Date.now();
  await pushSsh(web);
  assert.ok(Date.now() - started >= 300, 'the call took the injected latency');
  await sandbox.clearFaults();
  const again = Date.now();
  await pushSsh(web);
  assert.ok(Date.now() - again < 300);
});
