import assert from 'node:assert/strict';
import { test } from 'node:test';

import { waitWithCountdown } from '../../src/editor/actions/countdown';
import { runCommand } from '../../src/editor/commands/registry';
import { signIn } from '../../src/editor/commands/signIn';
import { reportFailure } from '../../src/editor/failures/reportFailure';
import { commandIds } from '../../src/editor/services/commandIds';
import { fakeServices } from '../fakes/fakeServices';
import { recordingLog } from '../fakes/recordingLog';

const ctx = { operation: 'serialConsole', instanceId: 'i-0123456789abcdef0', instanceName: 'web-1', region: 'us-east-1', profile: 'dev' };

function awsError(name: string, message: string): Error {
  return Object.assign(new Error(message), { name, $metadata: { requestId: 'c0ffee00-1111-2222-3333-444455556666', httpStatusCode: 400 } });
}

test('every notification offers Show Log, and the log records the error with its code and AWS request id', async () => {
  const log = recordingLog();
  let shown = 0;
  const { services, ui } = fakeServices({ log });
  Object.assign(services, { showLog: () => void shown++ });
  ui.messageAnswers.push('Show Log');
  await reportFailure(services, awsError('ServiceException', 'The service encountered an internal error.'), ctx, { retry: () => assert.fail('not chosen') });
  assert.deepEqual(ui.messages[0].actions, ['Retry', 'Show Log']);
  assert.equal(shown, 1);
  assert.match(log.lines[0], /^error \[failure\] serialConsole for i-0123456789abcdef0 in us-east-1 with profile dev failed: ServiceException: .*\(request id c0ffee00-1111-2222-3333-444455556666\) \[ServiceException\]$/);
});

test('an action needing the caller (Retry) is left out when the caller cannot do it', async () => {
  const { services, ui } = fakeServices();
  await reportFailure(services, awsError('SerialConsoleSessionUnavailableException', 'try again'), ctx);
  assert.deepEqual(ui.messages[0].actions, ['Show Log']);
});

test('Show Required Policy opens the minimal policy as JSON in an untitled editor', async () => {
  const { services, ui } = fakeServices();
  ui.messageAnswers.push('Show Required Policy');
  await reportFailure(services, awsError('AuthException', 'Not authorized.'), ctx);
  assert.deepEqual(ui.messages[0].actions, ['Show Required Policy', 'Switch Profile', 'Show Log']);
  const policy = JSON.parse(ui.opened[0]) as { Statement: { Action: unknown; Resource: string }[] };
  assert.equal(policy.Statement[0].Action, 'ec2-instance-connect:SendSerialConsoleSSHPublicKey');
  assert.equal(policy.Statement[0].Resource, 'arn:aws:ec2:us-east-1:*:instance/i-0123456789abcdef0');
});

test('Retry in 30 s shows a countdown and retries when it is up; cancelling it does not retry', async () => {
  const { services, ui } = fakeServices();
  let retries = 0;
  ui.messageAnswers.push('Retry in 30 s');
  ui.cancelProgressAfter = 2;
  await reportFailure(services, awsError('SerialConsoleSessionLimitExceededException', 'one session'), ctx, { retry: () => void retries++ });
  assert.equal(ui.progress[0].title, 'Waiting for the serial console to be free, to connect to the serial console of web-1 (i-0123456789abcdef0) in us-east-1…');
  assert.deepEqual(ui.progress[0].reports, ['30 s', '29 s']);
  assert.equal(retries, 0, 'cancelled: no retry');

  const finished = await waitWithCountdown(services, 'Waiting…', 2);
  assert.equal(finished, true);
  assert.deepEqual(ui.progress[1].reports, ['2 s', '1 s']);
});

test('Enable for This Account… asks first (modal), enables, then continues; declining changes nothing', async () => {
  const enabled: string[] = [];
  const core = { enableSerialConsoleAccess: async (client: { region: string }) => (enabled.push(client.region), true) };
  const { services, ui } = fakeServices({ core: core as never, aws: { ec2Client: (target: { region: string }) => target } });
  let retries = 0;
  ui.messageAnswers.push('Enable for This Account…', undefined);
  await reportFailure(services, awsError('SerialConsoleAccessDisabledException', 'disabled'), ctx, { retry: () => void retries++ });
  assert.equal(ui.messages[1].modal, true);
  assert.match(ui.messages[1].message, /^Enable the EC2 serial console for the AWS account of profile "dev" in us-east-1\?$/);
  assert.deepEqual(enabled, []);
  assert.equal(retries, 0);

  ui.messageAnswers.push('Enable for This Account…', 'Enable');
  await reportFailure(services, awsError('SerialConsoleAccessDisabledException', 'disabled'), ctx, { retry: () => void retries++ });
  assert.deepEqual(enabled, ['us-east-1']);
  assert.equal(retries, 1);
});

test('a follow-up that fails is reported in turn, about what it did', async () => {
  const core = { enableSerialConsoleAccess: async () => Promise.reject(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.')) };
  const { services, ui } = fakeServices({ core: core as never, aws: { ec2Client: () => ({}) } });
  ui.messageAnswers.push('Enable for This Account…', 'Enable', undefined);
  await reportFailure(services, awsError('SerialConsoleAccessDisabledException', 'disabled'), ctx, { retry: () => undefined });
  assert.match(ui.messages[2].message, /^Could not enable the serial console for the account in us-east-1: IAM does not allow ec2:EnableSerialConsoleAccess for profile "dev"/);
  assert.deepEqual(ui.messages[2].actions, ['Show Required Policy', 'Switch Profile', 'Show Log']);
});

test('Sign In signs the profile in (the Sign In command), then retries', async () => {
  let retries = 0;
  const logins: string[] = [];
  const core = {
    loadProfiles: async () => [{ name: 'dev', label: 'dev', source: 'sso', sso: { session: 'corp' } }],
    ssoDeviceLogin: async () => (logins.push('dev'), { expiresAt: new Date(Date.now() + 3600_000).toISOString() }),
  };
  const { services, ui } = fakeServices({ core: core as never, aws: { reset: () => undefined } });
  ui.commandHandlers.set(commandIds.signIn, (node) => signIn.run(services, node));
  ui.messageAnswers.push('Sign In');
  await reportFailure(services, awsError('CredentialsProviderError', 'The SSO session token associated with profile=dev was not found or is invalid.'), ctx, {
    retry: () => void retries++,
  });
  assert.deepEqual(ui.messages[0].actions, ['Sign In', 'Show Log']);
  assert.deepEqual(ui.executed.map((e) => e.command), [commandIds.signIn], 'the profile row\'s own Sign In command');
  assert.deepEqual(logins, ['dev']);
  assert.equal(retries, 1);
});

test('Sign In that does not sign in (dismissed, or failed with its own message) does not retry', async () => {
  let retries = 0;
  const core = {
    loadProfiles: async () => [{ name: 'dev', label: 'dev', source: 'sso', sso: { session: 'corp' } }],
    ssoDeviceLogin: async () => Promise.reject(Object.assign(new Error('cancelled'), { name: 'AbortError' })),
  };
  const { services, ui } = fakeServices({ core: core as never, aws: { reset: () => undefined } });
  ui.commandHandlers.set(commandIds.signIn, (node) => runCommand(services, signIn, [node]));
  ui.messageAnswers.push('Sign In');
  await reportFailure(services, awsError('CredentialsProviderError', 'The SSO session token associated with profile=dev was not found or is invalid.'), ctx, {
    retry: () => void retries++,
  });
  assert.deepEqual(ui.executed.map((e) => e.command), [commandIds.signIn]);
  assert.equal(retries, 0);
  assert.equal(ui.messages.length, 1, 'a dismissed sign-in shows nothing more');
});

test('a cancellation is no failure: nothing shown', async () => {
  const { services, ui } = fakeServices();
  await reportFailure(services, Object.assign(new Error('aborted'), { name: 'AbortError' }), ctx);
  assert.equal(ui.messages.length, 0);
});

test('reportFailure never rejects, even when the notification itself fails; a command never ends in a rejection', async () => {
  const log = recordingLog();
  const { services, ui } = fakeServices({ log });
  ui.showMessage = async () => Promise.reject(new Error('the window is closing'));
  await reportFailure(services, new Error('boom'), ctx);
  assert.match(log.lines.at(-1) ?? '', /could not show the failure of serialConsole: Error: the window is closing/);

  const failing = { id: commandIds.connectSerialConsole, run: async () => Promise.reject(new Error('unexpected')) };
  assert.equal(await runCommand(services, failing, []), undefined);
});

test('no secret reaches the log or the notification', async () => {
  const log = recordingLog();
  const { services, ui } = fakeServices({ log });
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  const pem = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ\n-----END OPENSSH PRIVATE KEY-----';
  await reportFailure(services, awsError('CredentialsProviderError', `bad line aws_secret_access_key = ${secret} near ${pem}`), ctx);
  const everything = [...log.lines, ...ui.messages.map((m) => m.message)].join('\n');
  assert.ok(!everything.includes(secret), everything);
  assert.ok(!everything.includes('b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQ'), everything);
});

test('Create Instance Connect Endpoint… that IAM denies is reported about the creation, with its own policy', async () => {
  const core = { createEndpoint: async () => Promise.reject(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.')) };
  const { services, ui } = fakeServices({ core: core as never, aws: { ec2Client: () => ({}) } });
  ui.messageAnswers.push('Create Instance Connect Endpoint…', 'Create', 'Show Required Policy');
  const instance = { instanceId: 'i-0123456789abcdef0', name: 'db', region: 'us-east-1', profile: 'dev', state: 'running', vpcId: 'vpc-1', subnetId: 'subnet-1', tags: [] };
  const noEndpoint = Object.assign(new Error('db has no public address and there is no EC2 Instance Connect Endpoint in vpc-1.'), {
    name: 'ProductError',
    kind: 'noEndpoint',
    facts: { vpcId: 'vpc-1', subnetId: 'subnet-1' },
  });
  await reportFailure(services, noEndpoint, { ...ctx, operation: 'connect' }, {
    createEndpoint: async () => {
      const { confirmAndCreateEndpoint } = await import('../../src/editor/actions/createEndpoint');
      await confirmAndCreateEndpoint(services, instance as never);
    },
  });
  assert.match(ui.messages[2].message, /ec2:CreateInstanceConnectEndpoint/);
  assert.match(ui.opened[0] ?? '', /"ec2:CreateInstanceConnectEndpoint"/);
});
