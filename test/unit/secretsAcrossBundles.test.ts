import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';

import { redact } from '../../src/core/base/log';
import type * as Core from '../../src/core/core';

test('a secret the built core bundle registers is taken out by the other copies of the redactor (the editor and CLI bundles hold their own)', async () => {
  // dist/core.js registers the credentials it resolves with its own copy of log.ts; the log lines and notifications are
  // redacted by dist/extension.js's, dist/commands.js's or dist/cli.js's copy (here: the source's, one more copy).
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the built bundle, as the editor loads it
  const builtCore = require(join(__dirname, '../../dist/core.js')) as typeof Core;
  const secret = 'QnVuZGxlZFNlY3JldEFjY2Vzc0tleTEyMzQ1Njc4';
  const names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'AWS_PROFILE'] as const;
  const saved = names.map((name) => [name, process.env[name]] as const);
  Object.assign(process.env, { AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE', AWS_SECRET_ACCESS_KEY: secret });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  try {
    const identity = await new builtCore.AwsClients().credentialProvider(undefined)();
    assert.equal(identity.secretAccessKey, secret, 'the environment credentials were resolved');
    assert.equal(redact(`the process printed ${secret} on its way out`), 'the process printed [redacted] on its way out');
  } finally {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
  }
});
