import assert from 'node:assert/strict';
import { test } from 'node:test';

import { hostAlias } from '../../../src/core/remote/hostEntry';
import { remoteFolderToString, remoteSshAuthority, remoteSshFolder } from '../../../src/core/remote/remoteUri';

test('the folder URI for a sample instance', () => {
  const alias = hostAlias('i-0123456789abcdef0', 'Web Server');
  const folder = remoteSshFolder(alias, 'ec2-user');
  assert.deepEqual(folder, {
    scheme: 'vscode-remote',
    authority:
      'ssh-remote+7b22686f73744e616d65223a226563322d7765622d7365727665722d692d3031323334353637383961626364656630227d',
    path: '/home/ec2-user',
  });
  assert.equal(
    remoteFolderToString(folder),
    'vscode-remote://ssh-remote+7b22686f73744e616d65223a226563322d7765622d7365727665722d692d3031323334353637383961626364656630227d/home/ec2-user',
  );
  assert.equal(remoteSshFolder(alias, 'root').path, '/root');
});

test('the authority survives lower-casing and decodes (as Remote-SSH does) to the alias', () => {
  const authority = remoteSshAuthority('ec2-web-i-0123456789abcdef0');
  assert.equal(authority.toLowerCase(), authority);
  const [type, encoded] = authority.split('+');
  assert.equal(type, 'ssh-remote');
  assert.deepEqual(JSON.parse(Buffer.from(encoded, 'hex').toString('utf8')), { hostName: 'ec2-web-i-0123456789abcdef0' });
});
