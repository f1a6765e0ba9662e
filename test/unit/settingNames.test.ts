import assert from 'node:assert/strict';
import { test } from 'node:test';

import { inCliWords } from '../../src/core/errors/settingNames';
import { connectFailure } from '../../src/core/ssh/sshErrors';

const endpoint = { who: 'web (i-0123456789abcdef0) in us-east-1', host: '203.0.113.10', port: 22, user: 'ec2-user' };

test("ec2ic's messages name its options, not the editor's settings", () => {
  const timeout = connectFailure(Object.assign(new Error('t'), { level: 'client-timeout' }), endpoint, 15, true) as Error;
  assert.match(timeout.message, /setting ec2InstanceConnect\.connectTimeout/, 'the editor reads its setting');
  assert.match(inCliWords(timeout.message), /\(option --connect-timeout\)/);
  const refused = connectFailure(Object.assign(new Error('r'), { code: 'ECONNREFUSED' }), endpoint, 15, false) as Error;
  assert.match(inCliWords(refused.message), /listens on another port \(option --port\)/);
  assert.equal(
    inCliWords('Put the fingerprint AWS publishes in the setting ec2InstanceConnect.serialConsole.fingerprint.'),
    'Put the fingerprint AWS publishes in the option --fingerprint.',
  );
  assert.equal(
    inCliWords('Choose another connection type for it (Choose Connection Type…, or the setting ec2InstanceConnect.connectionType).'),
    'Choose another connection type for it (the option --connection-type).',
  );
  assert.doesNotMatch(inCliWords('check any custom endpoint (setting ec2InstanceConnect.endpoint, AWS_ENDPOINT_URL)'), /ec2InstanceConnect/);
});
