import assert from 'node:assert/strict';
import { test } from 'node:test';

import { describeFailure } from '../../src/core/errors/describe';
import { ProductError } from '../../src/core/errors/productError';
import type { FailureContext } from '../../src/core/errors/types';

/** An error as the SDK throws it: the exception's name, AWS's message, the request id. */
function awsError(name: string, message: string, requestId = 'req-1234'): Error {
  return Object.assign(new Error(message), { name, $metadata: { requestId, httpStatusCode: 400 } });
}

/** A Node system error (what the SDK passes through when the network fails). */
function systemError(code: string, message: string): Error {
  return Object.assign(new Error(message), { code });
}

const serial: FailureContext = { operation: 'serialConsole', instanceId: 'i-0123456789abcdef0', instanceName: 'web-1', region: 'us-east-1', profile: 'dev', instanceState: 'running' };
const connect: FailureContext = { ...serial, operation: 'connect', osUser: 'ec2-user' };
const names = /web-1 \(i-0123456789abcdef0\) in us-east-1/;

/** The twelve exceptions of EC2 Instance Connect, each with what the user must read and the actions offered. */
const exceptions: { name: string; says: RegExp; actions: string[]; severity?: string }[] = [
  { name: 'AuthException', says: /AWS denied ec2-instance-connect:SendSerialConsoleSSHPublicKey to profile "dev"/, actions: ['showRequiredPolicy', 'switchProfile'] },
  { name: 'EC2InstanceNotFoundException', says: /no such instance in us-east-1 for profile "dev".*terminated/, actions: ['refresh'] },
  { name: 'EC2InstanceTypeInvalidException', says: /needs a Nitro-based type/, actions: ['learnMore'] },
  { name: 'InvalidArgsException', says: /rejected the request: Invalid arguments\./, actions: [] },
  { name: 'SerialConsoleAccessDisabledException', says: /turned off for this AWS account in us-east-1/, actions: ['enableSerialConsole', 'learnMore'], severity: 'warning' },
  { name: 'SerialConsoleSessionLimitExceededException', says: /already has a serial console session.*about 30 seconds later/, actions: ['retryIn30s'], severity: 'warning' },
  { name: 'SerialConsoleSessionUnavailableException', says: /could not start a serial console session this time/, actions: ['retry'] },
  { name: 'ServiceException', says: /AWS had an internal error/, actions: ['retry'] },
  { name: 'ThrottlingException', says: /: AWS is throttling requests in us-east-1, even after retrying with backoff/, actions: ['retry'], severity: 'warning' },
  { name: 'EC2InstanceStateInvalidException', says: /is not running \(it is stopping\)/, actions: ['refresh'], severity: 'warning' },
  { name: 'EC2InstanceUnavailableException', says: /temporarily unavailable/, actions: ['retry'] },
  { name: 'SerialConsoleSessionUnsupportedException', says: /until it has been rebooted.*Reboot it/, actions: ['rebootInstance'] },
];

for (const { name, says, actions, severity } of exceptions) {
  test(`${name}: names the instance and region, says what to do, offers ${actions.join(', ') || 'no action'}`, () => {
    const report = describeFailure(awsError(name, 'Invalid arguments.'), { ...serial, instanceState: 'stopping' });
    assert.match(report.message, names);
    assert.match(report.message, says);
    assert.deepEqual(report.actions, actions);
    assert.equal(report.severity, severity ?? 'error');
    assert.equal(report.code, name);
    assert.equal(report.requestId, 'req-1234');
  });
}

test('EC2InstanceStateInvalidException for a stopped instance offers Start Instance', () => {
  const report = describeFailure(awsError('EC2InstanceStateInvalidException', 'not running'), { ...serial, instanceState: 'stopped' });
  assert.match(report.message, /^Could not connect to the serial console of web-1 \(i-0123456789abcdef0\) in us-east-1: it is stopped\. Start it/);
  assert.deepEqual(report.actions, ['startInstance']);
});

test('InvalidArgsException about the OS user offers Choose Another User, for Connect only', () => {
  const aboutUser = awsError('InvalidArgsException', 'Invalid InstanceOSUser: "ro ot"');
  const report = describeFailure(aboutUser, connect);
  assert.match(report.message, /^Could not connect to web-1 .*: EC2 Instance Connect rejected the request: Invalid InstanceOSUser: "ro ot" Choose another OS user\.$/);
  assert.deepEqual(report.actions, ['chooseAnotherUser']);
  assert.deepEqual(describeFailure(aboutUser, serial).actions, [], 'the serial console has no OS user to choose');
});

test('AuthException: the denied action comes from AWS when it names one, and the policy is the minimal one for it', () => {
  const denied = awsError(
    'AuthException',
    'User: arn:aws:iam::123456789012:user/dev is not authorized to perform: ec2-instance-connect:SendSSHPublicKey on resource: arn:aws:ec2:us-east-1:123456789012:instance/i-0123456789abcdef0',
  );
  const report = describeFailure(denied, connect);
  assert.match(report.message, /AWS denied ec2-instance-connect:SendSSHPublicKey to profile "dev"/);
  assert.deepEqual(report.requiredPolicy, {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'SendSSHPublicKey',
        Effect: 'Allow',
        Action: 'ec2-instance-connect:SendSSHPublicKey',
        Resource: 'arn:aws:ec2:us-east-1:*:instance/i-0123456789abcdef0',
        Condition: { StringEquals: { 'ec2:osuser': 'ec2-user' } },
      },
      { Sid: 'FindInstances', Effect: 'Allow', Action: ['ec2:DescribeInstances', 'ec2:DescribeImages'], Resource: '*' },
    ],
  });
  const serialPolicy = describeFailure(awsError('AuthException', 'Not authorized.'), serial).requiredPolicy as { Statement: { Action: unknown }[] };
  assert.deepEqual(
    serialPolicy.Statement.map((s) => s.Action),
    ['ec2-instance-connect:SendSerialConsoleSSHPublicKey', ['ec2:DescribeInstances', 'ec2:DescribeImages', 'ec2:GetSerialConsoleAccessStatus']],
  );
});

test('an EC2 permission denial names the EC2 action, scoped to the instance when IAM allows it', () => {
  const report = describeFailure(awsError('UnauthorizedOperation', 'You are not authorized to perform this operation.'), { ...serial, operation: 'RebootInstances' });
  assert.match(report.message, /^Could not reboot web-1 \(i-0123456789abcdef0\) in us-east-1: IAM does not allow ec2:RebootInstances for profile "dev"/);
  assert.deepEqual(report.actions, ['showRequiredPolicy', 'switchProfile']);
  assert.deepEqual(report.requiredPolicy, {
    Version: '2012-10-17',
    Statement: [{ Sid: 'RebootInstances', Effect: 'Allow', Action: 'ec2:RebootInstances', Resource: 'arn:aws:ec2:us-east-1:*:instance/i-0123456789abcdef0' }],
  });
});

test('credentials: an unknown profile, no credentials at all, a missing or refused MFA code', () => {
  const unknown = describeFailure(
    awsError('CredentialsProviderError', 'Could not resolve credentials using profile: [nope] in configuration/credentials file(s).'),
    { ...serial, profile: 'nope' },
  );
  assert.match(unknown.message, names);
  assert.match(unknown.message, /there is no AWS profile "nope" with credentials in ~\/\.aws\/config or ~\/\.aws\/credentials/);
  assert.deepEqual(unknown.actions, ['switchProfile', 'openAwsConfig']);

  const none = describeFailure(awsError('CredentialsProviderError', 'Could not load credentials from any providers'), { ...serial, profile: undefined });
  assert.match(none.message, /no AWS credentials were found for the default credentials\. Add a profile/);
  assert.deepEqual(none.actions, ['openAwsConfig', 'learnMore']);

  const mfaMissing = describeFailure(awsError('CredentialsProviderError', 'Profile dev requires multi-factor authentication, but no MFA code callback was provided.'), serial);
  assert.match(mfaMissing.message, /profile "dev" needs an MFA code, and none was entered/);
  assert.deepEqual(mfaMissing.actions, ['retry']);

  const mfaRefused = describeFailure(awsError('AccessDenied', 'MultiFactorAuthentication failed with invalid MFA one time pass code.'), serial);
  assert.match(mfaRefused.message, /AWS did not accept the MFA code for profile "dev"\. Try again with the next code/);
  assert.deepEqual(mfaRefused.actions, ['retry']);
});

test('credentials: an expired IAM Identity Center sign-in or session token offers Sign In', () => {
  const sso = describeFailure(
    awsError('CredentialsProviderError', "The SSO session token associated with profile=dev was not found or is invalid. To refresh this SSO session run 'aws sso login' with the corresponding profile."),
    serial,
  );
  assert.match(sso.message, /^Could not connect to the serial console of web-1 .*: the AWS sign-in session of profile "dev" has expired \(IAM Identity Center\)\. Sign in again/);
  assert.deepEqual(sso.actions, ['signIn']);
  const expired = describeFailure(awsError('ExpiredTokenException', 'The security token included in the request is expired'), serial);
  assert.match(expired.message, /the session credentials of profile "dev" have expired/);
  assert.deepEqual(expired.actions, ['signIn', 'switchProfile']);
});

test('credentials: a key AWS does not know, a secret that does not match, a clock that is off', () => {
  const unknownKey = describeFailure(awsError('InvalidClientTokenId', 'The security token included in the request is invalid.'), serial);
  assert.match(unknownKey.message, /AWS does not recognize the access key of profile "dev"/);
  assert.deepEqual(unknownKey.actions, ['openAwsConfig', 'switchProfile']);

  const mismatch = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.';
  for (const code of ['InvalidSignatureException', 'SignatureDoesNotMatch']) {
    const report = describeFailure(awsError(code, mismatch), serial);
    assert.match(report.message, /its secret access key does not match the access key id/, code);
    assert.deepEqual(report.actions, ['openAwsConfig', 'switchProfile']);
  }
  // The same codes, worded by AWS for a signature made with a clock more than 5 minutes off (EC2 Instance Connect, then EC2).
  const skewed = [
    awsError('InvalidSignatureException', 'Signature expired: 20261125T061344Z is now earlier than 20261125T062844Z (20261125T063344Z - 5 min.)'),
    awsError('RequestExpired', 'Request has expired.'),
    awsError('SignatureDoesNotMatch', 'Signature not yet current: 20261125T070000Z is still later than 20261125T064000Z'),
  ];
  for (const err of skewed) {
    const report = describeFailure(err, serial);
    assert.match(report.message, /this computer's clock is off by more than 5 minutes\. Set the system clock/, err.message);
    assert.deepEqual(report.actions, ['retry', 'learnMore']);
  }
});

test('network: a name that does not resolve, a refused connection, no answer in time, a certificate not trusted', () => {
  const dns = describeFailure(systemError('ENOTFOUND', 'getaddrinfo ENOTFOUND ec2-instance-connect.us-east-1.amazonaws.com'), serial);
  assert.match(dns.message, names);
  assert.match(dns.message, /the name of the AWS endpoint ec2-instance-connect\.us-east-1\.amazonaws\.com could not be looked up \(ENOTFOUND\)/);
  assert.deepEqual(dns.actions, ['retry', 'openSettings']);
  assert.equal(dns.settingsQuery, 'ec2InstanceConnect.endpoint');

  const refused = describeFailure(systemError('ECONNREFUSED', 'connect ECONNREFUSED 127.0.0.1:1'), serial);
  assert.match(refused.message, /the connection to AWS failed \(ECONNREFUSED\)/);

  const timeout = describeFailure(Object.assign(new Error('@smithy/node-http-handler - [ERROR] a request has exceeded the configured 30000 ms requestTimeout.'), { name: 'TimeoutError', code: 'ETIMEDOUT' }), serial);
  assert.match(timeout.message, /AWS did not answer in time/);
  assert.deepEqual(timeout.actions, ['retry', 'openSettings']);

  const tls = describeFailure(systemError('SELF_SIGNED_CERT_IN_CHAIN', 'self-signed certificate in certificate chain'), serial);
  assert.match(tls.message, /TLS certificate of the AWS endpoint is not trusted here.*proxy that inspects HTTPS/);
});

test('ProductErrors keep their words and get their actions', () => {
  const mismatch = new ProductError('hostKeyMismatch', 'presented the host key SHA256:aaa, but … SHA256:bbb', { presentedFingerprint: 'SHA256:aaa' });
  assert.deepEqual(describeFailure(mismatch, serial).actions, ['learnMore']);
  assert.equal(describeFailure(mismatch, serial).message, mismatch.message);

  const disabled = new ProductError('serialConsoleAccessDisabled', 'turned off', { managedBy: 'account' });
  assert.deepEqual(describeFailure(disabled, serial).actions, ['enableSerialConsole', 'learnMore']);
  assert.match(describeFailure(disabled, serial).message, /turned off for this AWS account in us-east-1/);
  const byPolicy = new ProductError('serialConsoleAccessDisabled', 'turned off by a declarative policy', { managedBy: 'declarative-policy' });
  assert.deepEqual(describeFailure(byPolicy, serial).actions, ['learnMore'], 'an organization policy cannot be overridden from the account');

  const refused = new ProductError('authRefused', 'refused');
  assert.deepEqual(describeFailure(refused, connect).actions, ['chooseAnotherUser', 'retry']);
  assert.deepEqual(describeFailure(refused, serial).actions, ['retryIn30s']);

  const stopped = new ProductError('instanceNotRunning', 'web-1 is stopped.', { state: 'stopped' });
  assert.deepEqual(describeFailure(stopped, serial).actions, ['startInstance']);
});

test('anything else: what was being done, the error, and Retry', () => {
  const report = describeFailure(new Error('socket hang up'), { ...serial, operation: 'StartInstances' });
  assert.equal(report.message, 'Could not start web-1 (i-0123456789abcdef0) in us-east-1: socket hang up');
  assert.deepEqual(report.actions, ['retry']);
});

test('no secret in a message: the service text is redacted before it is quoted', () => {
  // Each secret is a string found nowhere else in the context (not the instance id, region or profile), so
  // finding it anywhere in the message is a leak.
  const secrets = {
    privateKey: 'b3BlbnNzaC1rZXktdjEAAAAAQUJDREVGR0g',
    secretKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    sessionToken: 'IQoJb3JpZ2luX2VjEXAMPLETOKENdoNotLogMe',
    signature: 'f00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dfacef00dface',
  };
  const leaky = [
    awsError('InvalidArgsException', `bad key -----BEGIN OPENSSH PRIVATE KEY-----\n${secrets.privateKey}\n-----END OPENSSH PRIVATE KEY-----`),
    awsError('CredentialsProviderError', `Could not parse aws_secret_access_key=${secrets.secretKey} in [dev]`),
    new Error(`failed: aws_session_token = ${secrets.sessionToken}&X-Amz-Signature=${secrets.signature}`),
    new Error(`Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261201/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=${secrets.signature}`),
  ];
  for (const err of leaky) {
    const { message } = describeFailure(err, serial);
    for (const [name, secret] of Object.entries(secrets)) assert.ok(!message.includes(secret), `the ${name} leaked: ${message}`);
    assert.ok(!message.includes('PRIVATE KEY-----\n'), message);
    assert.match(message, /\[(private key )?redacted\]/, 'the message says something was taken out');
  }
});

test('AWS text in a message is plain text on one line: names and the service\'s own words', () => {
  const ctx = { ...serial, instanceName: 'web\u001b[2J\r\nroot# \u202erm' };
  const { message } = describeFailure(awsError('InvalidArgsException', 'bad \u001b]0;pwned\u0007value\r\nfor X'), ctx);
  // eslint-disable-next-line no-control-regex -- no control character may be left
  assert.doesNotMatch(message, /[\u0000-\u001f\u007f-\u009f\u202a-\u202e]/, JSON.stringify(message));
  assert.match(message, /web root# rm \(i-0123456789abcdef0\)/);
  assert.match(message, /rejected the request: bad value for X/);
});

test('a command that fails before it reports itself is named for what it does, not by its id', () => {
  assert.equal(describeFailure(new Error('x'), { operation: 'connectSerialConsole' }).message, 'Could not connect to the serial console of the instance: x');
  assert.equal(describeFailure(new Error('x'), { operation: 'filter' }).message, 'Could not run filter: x');
});

test('AuthFailure or UnrecognizedClientException in a region the account may not have enabled: says so, how to enable it, and still names the key', () => {
  const notEnabled = { ...connect, region: 'ap-south-1' };
  for (const [code, words] of [
    ['AuthFailure', 'AWS was not able to validate the provided access credentials'],
    ['UnrecognizedClientException', 'The security token included in the request is invalid.'],
  ]) {
    const report = describeFailure(awsError(code, words), notEnabled);
    assert.match(report.message, /^Could not connect to web-1 \(i-0123456789abcdef0\) in ap-south-1: /, code);
    assert.match(report.message, /the region ap-south-1 may not be enabled for the account/i, code);
    assert.match(report.message, /AWS console → Account → AWS Regions/, code);
    assert.match(report.message, /aws account enable-region --region-name ap-south-1/, code);
    assert.match(report.message, /the access key of profile "dev" is mistyped, deactivated or deleted/, code);
    assert.deepEqual(report.actions, ['openAwsConfig', 'switchProfile', 'learnMore'], code);
    assert.match(report.learnMoreUrl ?? '', /^https:\/\/docs\.aws\.amazon\.com\/.*region/, code);
  }
});

test('a credential_process that fails: its command and words are quoted redacted, not read as an expired SSO sign-in', () => {
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYJSONSECRET1';
  const err = awsError('CredentialsProviderError', `Command failed: /home/me/bin/creds.sh\n{"SecretAccessKey":"${secret}"}\nrefresh token=${secret}\n`);
  const report = describeFailure(err, serial);
  assert.match(report.message, /: the credential_process of profile "dev" failed: \/home\/me\/bin\/creds\.sh .*Run that command in a shell to see why/);
  assert.ok(!report.message.includes(secret), report.message);
  assert.deepEqual(report.actions, ['openAwsConfig', 'switchProfile']);
});

test('a Windows instance: Connect offers Open RDP Tunnel…; the CLI says the open-tunnel command for it', async () => {
  const { checkNotWindows } = await import('../../src/core/connect/osUser');
  const { cliMessage } = await import('../../src/cli/cliHints');
  const windows = { instanceId: 'i-0123456789abcdef0', name: 'dc1', region: 'eu-west-1', platform: 'windows' as const, state: 'running' as const, instanceType: 't3.large', tags: [], serialCapable: false };
  let thrown: unknown;
  try {
    checkNotWindows(windows, undefined);
  } catch (err) {
    thrown = err;
  }
  const ctx = { operation: 'connect', instanceId: windows.instanceId, region: windows.region };
  const report = describeFailure(thrown, ctx);
  assert.deepEqual(report.actions, ['openRdpTunnel']);
  assert.equal(report.severity, 'warning');
  assert.match(report.message, /runs Windows.*Remote Desktop \(RDP, port 3389\)/);
  assert.match(cliMessage(thrown, ctx), /ec2ic open-tunnel --instance-id i-0123456789abcdef0 --region eu-west-1 --remote-port 3389 --local-port 3389$/);
});
