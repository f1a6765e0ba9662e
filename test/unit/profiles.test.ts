import assert from 'node:assert/strict';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';

import { awsConfigPaths } from '../../src/core/aws/configPaths';
import { loadProfiles } from '../../src/core/aws/loadProfiles';
import { environmentProfileSetting, selectProfiles } from '../../src/core/aws/profiles';
import { isRegionName, resolveRegion } from '../../src/core/aws/region';

const fixtures = join(__dirname, 'fixtures', 'aws');
const fileEnv = { AWS_CONFIG_FILE: join(fixtures, 'config'), AWS_SHARED_CREDENTIALS_FILE: join(fixtures, 'credentials') };

test('every profile of both files is found, in file order, each with its region and credential source', async () => {
  const profiles = await loadProfiles(fileEnv, '/nonexistent-home');
  assert.deepEqual(
    profiles.map((p) => [p.name, p.region, p.source]),
    [
      ['default', 'us-east-1', 'static'],
      ['dev', 'eu-west-1', 'static'],
      ['sso-admin', 'us-west-2', 'sso'],
      ['legacy-sso', undefined, 'sso'],
      ['prod-role', 'ap-southeast-2', 'assumeRole'],
      ['noregion', undefined, 'process'],
      ['ci', 'ca-central-1', 'static'],
    ],
  );
});

test('SSO profiles carry the start URL and sign-in region, from the sso-session section or the legacy keys', async () => {
  const profiles = await loadProfiles(fileEnv, '/nonexistent-home');
  assert.deepEqual(profiles.find((p) => p.name === 'sso-admin')?.sso, {
    startUrl: 'https://corp.awsapps.com/start',
    region: 'us-east-1',
    session: 'corp',
    accountId: '111122223333',
    roleName: 'AdministratorAccess',
  });
  assert.deepEqual(profiles.find((p) => p.name === 'legacy-sso')?.sso, {
    startUrl: 'https://legacy.awsapps.com/start',
    region: 'eu-central-1',
    session: undefined,
    accountId: '444455556666',
    roleName: 'ReadOnly',
  });
});

test('environment credentials come first, as the default chain (no profile name), with AWS_REGION', async () => {
  const profiles = await loadProfiles(
    { ...fileEnv, AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'x', AWS_DEFAULT_REGION: 'sa-east-1' },
    '/nonexistent-home',
  );
  assert.equal(profiles[0].name, undefined);
  assert.equal(profiles[0].label, 'Environment credentials');
  assert.equal(profiles[0].source, 'environment');
  assert.equal(profiles[0].region, 'sa-east-1');
  assert.equal(profiles.length, 8);
});

test('missing files mean no profiles, not an error; ~/ in AWS_CONFIG_FILE is the home directory', async () => {
  const home = await mkdtemp(join(tmpdir(), 'ec2ic-home-'));
  assert.deepEqual(await loadProfiles({}, home), []);
  await writeFile(join(home, 'cfg'), '[profile only]\nregion = eu-north-1\n');
  assert.equal(awsConfigPaths({ AWS_CONFIG_FILE: '~/cfg' }, home).config, join(home, 'cfg'));
  assert.equal(awsConfigPaths({}, home).credentials, join(home, '.aws', 'credentials'));
  const profiles = await loadProfiles({ AWS_CONFIG_FILE: '~/cfg' }, home);
  assert.deepEqual(profiles.map((p) => [p.name, p.region]), [['only', 'eu-north-1']]);
});

test('the profiles setting wins, then AWS_PROFILE alone, then every profile; unknown names are kept to fail visibly', async () => {
  const all = await loadProfiles({ ...fileEnv, AWS_ACCESS_KEY_ID: 'AKIAENV', AWS_SECRET_ACCESS_KEY: 'x' }, '/nonexistent-home');
  assert.deepEqual(selectProfiles(all, ['dev', 'gone'], {}).map((p) => [p.name, p.source]), [
    ['dev', 'static'],
    ['gone', 'unknown'],
  ]);
  assert.deepEqual(selectProfiles(all, [environmentProfileSetting], {}).map((p) => p.label), ['Environment credentials']);
  assert.deepEqual(selectProfiles(all, [], { AWS_PROFILE: 'prod-role' }).map((p) => p.name), ['prod-role']);
  assert.equal(selectProfiles(all, [], {}).length, all.length);
});

test('a profile the SDK cannot see (a malformed section header) is not listed either', async () => {
  const home = await mkdtemp(join(tmpdir(), 'ec2ic-home-'));
  await writeFile(join(home, 'cfg'), '[profile  two-spaces ]\nregion = eu-north-1\n[profile ok] # comment\nregion = us-east-2 ; inline\n');
  const profiles = await loadProfiles({ AWS_CONFIG_FILE: join(home, 'cfg') }, home);
  assert.deepEqual(profiles.map((p) => [p.name, p.region]), [['ok', 'us-east-2']]);
});

test('region resolution: explicit, then AWS_REGION, then AWS_DEFAULT_REGION, then the profile', () => {
  const env = { AWS_REGION: 'eu-west-1', AWS_DEFAULT_REGION: 'eu-west-2' };
  assert.equal(resolveRegion({ explicit: 'us-east-2', profileRegion: 'us-west-1', env }), 'us-east-2');
  assert.equal(resolveRegion({ profileRegion: 'us-west-1', env }), 'eu-west-1');
  assert.equal(resolveRegion({ profileRegion: 'us-west-1', env: { AWS_DEFAULT_REGION: 'eu-west-2' } }), 'eu-west-2');
  assert.equal(resolveRegion({ profileRegion: 'us-west-1', env: {} }), 'us-west-1');
  assert.equal(resolveRegion({ explicit: ' ', env: {} }), undefined);
  assert.ok(isRegionName('us-gov-west-1') && isRegionName('ap-southeast-7') && !isRegionName('us-east') && !isRegionName('i-123'));
});
