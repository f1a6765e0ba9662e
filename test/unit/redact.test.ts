import assert from 'node:assert/strict';
import { test } from 'node:test';

import { createLogger, describeThrown, redact, registerSecret } from '../../src/core/base/log';
import { describeFailure } from '../../src/core/errors/describe';

test('redact: secrets written as "secret: X", "token=X", JSON keys and env lines lose their values, the words around them stay', () => {
  const cases: [string, string][] = [
    ['secret: ColonSecretValue0123', 'secret: [redacted]'],
    ['client_secret = abc123def456', 'client_secret = [redacted]'],
    ['refreshed with token=IQoJb3JpZ2luX2Vj', 'refreshed with token=[redacted]'],
    ['access_token: eyJhbGciOiJIUzI1NiJ9.e30.sig', 'access_token: [redacted]'],
    ['password=hunter2hunter2', 'password=[redacted]'],
    ['{"SecretAccessKey":"wJalrXUtnFEMI/K7MDENG"}', '{"SecretAccessKey":"[redacted]"}'],
    ['{"Token": "tok-0123456789", "Expiration": "2026-12-01T00:00:00Z"}', '{"Token": "[redacted]", "Expiration": "2026-12-01T00:00:00Z"}'],
    ['AWS_SESSION_TOKEN=IQoJb3JpZ2lu', 'AWS_SESSION_TOKEN=[redacted]'],
    ['Authorization: Bearer eyJhbGciOiJIUzI1NiJ9', 'Authorization: Bearer [redacted]'],
  ];
  for (const [line, expected] of cases) assert.equal(redact(line), expected, line);
  // Words about secrets are not secrets: AWS's own messages and ours keep their meaning.
  for (const line of ['a session token is missing or stale', 'The security token included in the request is invalid.', 'AccessKeyId: AKIAIOSFODNN7EXAMPLE']) {
    assert.equal(redact(line), line);
  }
});

test('redact: the secret values of credentials in use are taken out wherever they appear, in a message, a log line or a stack', () => {
  const secret = 'Qm9vdHN0cmFwU2VjcmV0VmFsdWUxMjM0';
  const token = 'IQoJb3JpZ2luX2VjEXAMPLEsessiontokenvalue';
  registerSecret(secret);
  registerSecret(token);
  assert.equal(redact(`signed with ${secret} (session ${token})`), 'signed with [redacted] (session [redacted])');

  const lines: string[] = [];
  const log = createLogger({ trace: (m) => lines.push(m), debug: (m) => lines.push(m), info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) });
  log.debug(`the key ${secret}`);
  assert.deepEqual(lines, ['the key [redacted]']);

  const err = new Error(`process said ${token}`);
  assert.ok(!describeThrown(err).includes(token));
  assert.ok(!describeFailure(err, { operation: 'list', region: 'us-east-1' }).message.includes(token));
  assert.ok(!redact(err.stack ?? '').includes(token));
});

test('redact: short or empty values are not registered (they would take out ordinary words)', () => {
  registerSecret('');
  registerSecret('abc');
  assert.equal(redact('abc and more'), 'abc and more');
});
