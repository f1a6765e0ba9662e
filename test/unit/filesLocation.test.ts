import assert from 'node:assert/strict';
import { test } from 'node:test';

import { fileFailure, isRemoteFileError } from '../../src/core/files/fileErrors';
import { findCommand, parseFindOutput } from '../../src/core/files/instanceCommands';
import { formatAuthority, parseAuthority } from '../../src/core/files/location';

test('a files URI authority carries user, instance, region and profile, and reads back whatever the profile is called', () => {
  const plain = { osUser: 'ec2-user', instanceId: 'i-0123456789abcdef0', region: 'us-east-1' };
  assert.equal(formatAuthority(plain), 'ec2-user@i-0123456789abcdef0~us-east-1');
  assert.deepEqual(parseAuthority(formatAuthority(plain)), plain);
  for (const profile of ['dev', 'team~a', 'a@b', 'with space', 'ünïcode', '']) {
    const location = { ...plain, profile };
    assert.deepEqual(parseAuthority(formatAuthority(location)), location, profile);
  }
});

test('an authority that is not ours is undefined, not a guess', () => {
  for (const bad of ['', 'i-0123456789abcdef0~us-east-1', '@i-0123456789abcdef0~us-east-1', 'u@i-xyz~us-east-1', 'u@i-0123456789abcdef0', 'u@i-0123456789abcdef0~US EAST', 'u@i-0123456789abcdef0~r~p~q', '%E0%A4%A@i-0123456789abcdef0~us-east-1']) {
    assert.equal(parseAuthority(bad), undefined, bad);
  }
});

test('SFTP status codes become the FileSystemError kinds, naming the path and the instance', () => {
  const who = 'web (i-0123456789abcdef0) in us-east-1';
  const sftp = (code: number) => Object.assign(new Error('x'), { code });
  const cases: [unknown, string][] = [
    [sftp(2), 'FileNotFound'],
    [sftp(3), 'NoPermissions'],
    [sftp(4), 'Unavailable'],
    [sftp(7), 'Unavailable'],
    [new Error('No response from server'), 'Unavailable'],
  ];
  for (const [err, kind] of cases) {
    const mapped = fileFailure(err, '/home/ec2-user/a.txt', who);
    assert.ok(isRemoteFileError(mapped, kind as never), `${String(err)} → ${mapped.kind}`);
    assert.ok(mapped.message.includes('/home/ec2-user/a.txt') && mapped.message.includes(who), mapped.message);
  }
  assert.equal(fileFailure(sftp(4), '/x', who, { kind: 'NoPermissions', why: 'could not be written.' }).kind, 'NoPermissions');
});

test('find: the folder and text are single words for the shell; NUL-separated output parses any file name', () => {
  const command = findCommand("/home/o'brien/my dir", "it's $(rm -rf /)");
  assert.ok(command.includes(`'/home/o'\\''brien/my dir'`), command);
  assert.ok(command.includes(`'it'\\''s $(rm -rf /)'`), command);
  assert.ok(command.includes(' -i'), 'all lower case: case-insensitive');
  assert.ok(!findCommand('/d', 'Upper').includes(' -i'));
  assert.deepEqual(parseFindOutput('/d/a: b.txt\u00003:x:y\n/d/c\u000010:\nnot a match line\n'), [
    { path: '/d/a: b.txt', line: 3, text: 'x:y' },
    { path: '/d/c', line: 10, text: '' },
  ]);
});
