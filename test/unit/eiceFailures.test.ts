import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { TunnelTarget } from '../../src/core/eice/presign';
import { tunnelProxy } from '../../src/core/eice/proxy';
import { closeFailure, connectFailure, handshakeFailure, type TunnelParty } from '../../src/core/eice/tunnelFailures';
import { describeFailure } from '../../src/core/errors/describe';
import { ProductError } from '../../src/core/errors/productError';
import type { FailureContext } from '../../src/core/errors/types';

const target: TunnelTarget = { dnsName: 'eice-0123456789abcdef0.0123abcd.ec2-instance-connect-endpoint.us-east-1.amazonaws.com', endpointId: 'eice-0123456789abcdef0', region: 'us-east-1', privateIp: '10.0.1.5', remotePort: 22 };
const party: TunnelParty = { target, who: 'db-internal (i-0123456789abcdef0) in us-east-1' };
const ctx: FailureContext = { operation: 'OpenTunnel', instanceId: 'i-0123456789abcdef0', instanceName: 'db-internal', region: 'us-east-1', profile: 'dev', port: 22 };

test('noEndpoint offers to create one and the user guide', () => {
  const report = describeFailure(new ProductError('noEndpoint', 'There is no available EC2 Instance Connect Endpoint in vpc-1.', { vpcId: 'vpc-1' }), ctx);
  assert.deepEqual(report.actions, ['createEndpoint', 'learnMore']);
  assert.equal(report.learnMoreUrl, 'https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/create-ec2-instance-connect-endpoints.html');
  assert.equal(report.code, 'noEndpoint');
});

test('tunnelDenied shows the OpenTunnel policy for that endpoint, port and address', () => {
  const err = handshakeFailure({ status: 403, body: '{"ErrorCode":"AccessDenied","Message":"not authorized"}', requestId: 'req-9' }, party);
  assert.equal(err.kind, 'tunnelDenied');
  const report = describeFailure(err, ctx);
  assert.deepEqual(report.actions, ['showRequiredPolicy', 'switchProfile']);
  assert.equal(report.requestId, 'req-9');
  assert.deepEqual(report.requiredPolicy, {
    Version: '2012-10-17',
    Statement: [
      {
        Sid: 'OpenTunnel',
        Effect: 'Allow',
        Action: 'ec2-instance-connect:OpenTunnel',
        Resource: 'arn:aws:ec2:us-east-1:*:instance-connect-endpoint/eice-0123456789abcdef0',
        Condition: { NumericEquals: { 'ec2-instance-connect:remotePort': 22 }, IpAddress: { 'ec2-instance-connect:privateIpAddress': '10.0.1.5' } },
      },
      { Sid: 'FindEndpoints', Effect: 'Allow', Action: ['ec2:DescribeInstanceConnectEndpoints', 'ec2:DescribeInstances'], Resource: '*' },
    ],
  });
  assert.match(report.message, /IAM does not allow ec2-instance-connect:OpenTunnel on eice-0123456789abcdef0/);
});

test('AccessDenied from CreateInstanceConnectEndpoint and DescribeInstanceConnectEndpoints show their own policies', () => {
  const denied = () => Object.assign(new Error('You are not authorized to perform this operation.'), { name: 'UnauthorizedOperation', $metadata: { requestId: 'r' } });
  const create = describeFailure(denied(), { ...ctx, operation: 'CreateInstanceConnectEndpoint' });
  assert.match(create.message, /Could not create an EC2 Instance Connect Endpoint in us-east-1: IAM does not allow ec2:CreateInstanceConnectEndpoint/);
  const createActions = (create.requiredPolicy as { Statement: { Action: string[] }[] }).Statement.flatMap((s) => s.Action);
  assert.deepEqual(createActions, ['ec2:CreateInstanceConnectEndpoint', 'ec2:CreateNetworkInterface', 'ec2:CreateTags', 'iam:CreateServiceLinkedRole', 'ec2:DescribeInstanceConnectEndpoints', 'ec2:DescribeSubnets']);
  const describe = describeFailure(denied(), { ...ctx, operation: 'DescribeInstanceConnectEndpoints' });
  assert.match(describe.message, /Could not find an EC2 Instance Connect Endpoint for db-internal \(i-0123456789abcdef0\) in us-east-1: IAM does not allow ec2:DescribeInstanceConnectEndpoints/);
  assert.deepEqual(describe.requiredPolicy, { Version: '2012-10-17', Statement: [{ Sid: 'DescribeInstanceConnectEndpoints', Effect: 'Allow', Action: 'ec2:DescribeInstanceConnectEndpoints', Resource: '*' }] });
});

test('an OpenTunnel denial named by AWS gets the endpoint policy too', () => {
  const err = Object.assign(new Error('User is not authorized to perform: ec2-instance-connect:OpenTunnel on resource'), { name: 'AccessDeniedException' });
  const report = describeFailure(err, ctx);
  assert.match(report.message, /Could not open a tunnel through EC2 Instance Connect Endpoint to db-internal/);
  assert.equal((report.requiredPolicy as { Statement: { Resource: string }[] }).Statement[0].Resource, 'arn:aws:ec2:us-east-1:*:instance-connect-endpoint/*');
});

test('closed, expired, refused and limit offer Retry; a TLS failure offers the NODE_EXTRA_CA_CERTS page', () => {
  for (const kind of ['tunnelClosed', 'tunnelExpired', 'tunnelRefused', 'tunnelLimit'] as const) {
    assert.deepEqual(describeFailure(new ProductError(kind, 'x'), ctx).actions, ['retry'], kind);
  }
  const tls = describeFailure(connectFailure(Object.assign(new Error('unable to verify the first certificate'), { code: 'UNABLE_TO_VERIFY_LEAF_SIGNATURE' }), party, 15), ctx);
  assert.equal(tls.code, 'tlsFailure');
  assert.deepEqual(tls.actions, ['learnMore']);
  assert.equal(tls.learnMoreUrl, 'https://nodejs.org/api/cli.html#node_extra_ca_certsfile');
  assert.match(tls.message, /TLS certificate of eice-0123456789abcdef0\.0123abcd\.ec2-instance-connect-endpoint\.us-east-1\.amazonaws\.com .* point NODE_EXTRA_CA_CERTS at/);
});

test("handshake answers: a port the endpoint refuses is badInput with AWS's (sanitized) words; 429 is the limit; others are refusals", () => {
  const port = handshakeFailure(
    { status: 400, body: '{"ErrorCode":"InvalidParameter","Message":"The specified RemotePort is not valid.\\u001b[31m Specify either 22 or 3389 as the RemotePort and retry your request."}' },
    { ...party, target: { ...target, remotePort: 2222 } },
  );
  assert.equal(port.kind, 'badInput');
  assert.equal(
    port.message,
    'EC2 Instance Connect Endpoint eice-0123456789abcdef0 does not open tunnels to port 2222 (for db-internal (i-0123456789abcdef0) in us-east-1). ' +
      'AWS said: "The specified RemotePort is not valid. Specify either 22 or 3389 as the RemotePort and retry your request."',
  );
  const limit = handshakeFailure({ status: 429, body: '' }, party);
  assert.equal(limit.kind, 'tunnelLimit');
  assert.match(limit.message, /an endpoint allows 20 concurrent connections.*Close other terminals/);
  const other = handshakeFailure({ status: 500, body: 'not json', requestId: 'r-1' }, party);
  assert.equal(other.kind, 'tunnelRefused');
  assert.match(other.message, /\(HTTP 500\)\. AWS said: "not json" AWS had an error of its own/);
  const odd = handshakeFailure({ status: 404, body: '{"message":"Not Found","secretAccessKey":"x"}', requestId: 'r-2' }, party);
  assert.match(odd.message, /HTTP 404\)\. AWS said: "Not Found"/);
});

test('a proxy refusing CONNECT is named as the proxy, not as AWS', () => {
  const err = handshakeFailure({ status: 407, body: 'Proxy Authentication Required' }, { ...party, proxy: 'proxy.corp:3128' });
  assert.equal(err.kind, 'tunnelRefused');
  assert.match(err.message, /^The proxy proxy\.corp:3128 refused to connect to eice-0123456789abcdef0\..* HTTP 407\. It wants a user name and password/);
});

test('closes: 1000 and 1005 are normal, others say why, a close at the duration is an expiry', () => {
  assert.equal(closeFailure({ code: 1000, reason: '', elapsedSeconds: 10 }, party), undefined);
  assert.equal(closeFailure({ code: 1005, reason: '', elapsedSeconds: 10 }, party), undefined);
  assert.equal(closeFailure({ code: 1006, reason: '', elapsedSeconds: 10 }, party)?.kind, 'tunnelClosed');
  assert.equal(closeFailure({ code: 1000, reason: '', elapsedSeconds: 3599 }, party)?.kind, 'tunnelExpired');
  const limited = { ...party, target: { ...target, maxTunnelDurationSeconds: 600 } };
  assert.equal(closeFailure({ code: 1011, reason: 'x', elapsedSeconds: 597 }, limited)?.kind, 'tunnelClosed');
  const expired = closeFailure({ code: 1011, reason: 'x', elapsedSeconds: 598.5 }, limited);
  assert.equal(expired?.kind, 'tunnelExpired');
  assert.match(expired?.message ?? '', /after its maximum duration of 600 seconds/);
});

test('reaching the endpoint: DNS, refused, timeout, each naming its DNS name', () => {
  const dns = connectFailure(Object.assign(new Error('getaddrinfo ENOTFOUND'), { code: 'ENOTFOUND' }), party, 15) as ProductError;
  assert.equal(dns.kind, 'unreachable');
  assert.match(dns.message, /Could not look up eice-0123456789abcdef0\.0123abcd\.ec2-instance-connect-endpoint\.us-east-1\.amazonaws\.com/);
  const refused = connectFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }), party, 15) as ProductError;
  assert.equal(refused.kind, 'unreachable');
  assert.match(refused.message, /connection to eice-0123456789abcdef0\.0123abcd/);
  const timeout = connectFailure(new Error('Opening handshake has timed out'), party, 15) as ProductError;
  assert.equal(timeout.kind, 'timeout');
  assert.match(timeout.message, /did not answer within 15 seconds/);
});

test('proxy selection: HTTPS_PROXY, else HTTP_PROXY, either case; NO_PROXY honoured', () => {
  const host = target.dnsName;
  assert.equal(tunnelProxy(host, {}), undefined);
  assert.equal(tunnelProxy(host, { HTTPS_PROXY: 'http://proxy:3128' }), 'http://proxy:3128');
  assert.equal(tunnelProxy(host, { https_proxy: 'http://lower:3128', HTTP_PROXY: 'http://plain:8080' }), 'http://lower:3128');
  assert.equal(tunnelProxy(host, { HTTP_PROXY: 'http://plain:8080' }), 'http://plain:8080');
  assert.equal(tunnelProxy(host, { HTTPS_PROXY: 'proxy:3128' }), 'https://proxy:3128');
  for (const noProxy of ['.amazonaws.com', '*.amazonaws.com', host, `${host}:443`, '*', 'example.com,amazonaws.com', 'ec2-instance-connect-endpoint.us-east-1.amazonaws.com']) {
    assert.equal(tunnelProxy(host, { HTTPS_PROXY: 'http://proxy:3128', HTTP_PROXY: 'http://plain:8080', no_proxy: noProxy }), undefined, noProxy);
  }
  assert.equal(tunnelProxy(host, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'example.com,other.amazonaws.com' }), 'http://proxy:3128');
  assert.equal(tunnelProxy(host, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: `${host}:8443` }), 'http://proxy:3128');
  assert.equal(tunnelProxy(host, { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: 'xamazonaws.com,ws.com' }), 'http://proxy:3128');
  assert.equal(process.env.HTTPS_PROXY === 'http://proxy:3128', false, 'process.env is left as it was');
});

test('a proxy that refuses the connection is named as the proxy', () => {
  const err = connectFailure(Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:9'), { code: 'ECONNREFUSED' }), { ...party, proxy: '127.0.0.1:9' }, 15) as ProductError;
  assert.equal(err.kind, 'unreachable');
  assert.match(err.message, /^The connection to the proxy 127\.0\.0\.1:9 for eice-0123456789abcdef0\.0123abcd\.ec2-instance-connect-endpoint\.us-east-1\.amazonaws\.com \(EC2 Instance Connect Endpoint eice-0123456789abcdef0\) failed \(ECONNREFUSED\)/);
});
