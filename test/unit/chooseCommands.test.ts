import assert from 'node:assert/strict';
import { test } from 'node:test';

import type { AwsProfile } from '../../src/core/aws/profiles';
import type { AccountRegion } from '../../src/core/aws/regions';
import { isProductError } from '../../src/core/errors/productError';
import { chooseProfiles } from '../../src/editor/commands/chooseProfiles';
import { chooseRegions } from '../../src/editor/commands/chooseRegions';
import { fakeServices } from '../fakes/fakeServices';

for (const name of ['AWS_REGION', 'AWS_DEFAULT_REGION', 'AWS_PROFILE']) delete process.env[name];

const profiles: AwsProfile[] = [
  { name: undefined, label: 'Environment credentials', source: 'environment', region: 'eu-west-1' },
  { name: 'dev', label: 'dev', region: 'us-east-2', source: 'static' },
  { name: 'corp', label: 'corp', source: 'sso', sso: { session: 'corp' } },
];

const accountRegions: AccountRegion[] = [
  { name: 'af-south-1', optInStatus: 'not-opted-in', enabled: false },
  { name: 'ap-east-1', optInStatus: 'opted-in', enabled: true },
  { name: 'eu-west-1', optInStatus: 'opt-in-not-required', enabled: true },
  { name: 'us-east-2', optInStatus: 'opt-in-not-required', enabled: true },
];

test("Choose Regions offers the account's enabled regions, the current ones picked, and saves the choice", async () => {
  const asked: { region: string; profile?: string }[] = [];
  const core = {
    loadProfiles: async () => profiles,
    describeRegions: async (client: { region: string; profile?: string }) => {
      asked.push(client);
      return accountRegions;
    },
  };
  const { services, ui } = fakeServices({ core: core as never, aws: { ec2Client: (target: object) => target } });
  let offered: string[] = [];
  ui.pickAnswers.push((labels) => {
    offered = labels;
    return ['ap-east-1', 'us-east-2'];
  });
  await chooseRegions.run(services);
  assert.deepEqual(asked, [{ profile: undefined, region: 'eu-west-1' }], 'asked in the first profile, in its own region');
  assert.deepEqual(offered, ['ap-east-1', 'eu-west-1', 'us-east-2'], 'an opt-in region the account has not enabled is not offered');
  assert.match(ui.picks[0].title ?? '', /Regions to list instances in/);
  assert.deepEqual(ui.settings.get('ec2InstanceConnect.regions'), ['ap-east-1', 'us-east-2']);
});

test('Choose Profiles saves the chosen names, "all" as the empty default, and dismissing changes nothing', async () => {
  const { services, ui } = fakeServices({ core: { loadProfiles: async () => profiles } as never });
  ui.pickAnswers.push(() => ['dev']);
  await chooseProfiles.run(services);
  assert.deepEqual(ui.settings.get('ec2InstanceConnect.profiles'), ['dev']);
  ui.pickAnswers.push((labels) => labels);
  await chooseProfiles.run(services);
  assert.deepEqual(ui.settings.get('ec2InstanceConnect.profiles'), []);
  ui.pickAnswers.push(() => undefined);
  await assert.rejects(chooseProfiles.run(services) as Promise<unknown>, (err) => isProductError(err, 'cancelled'));
  assert.deepEqual(ui.settings.get('ec2InstanceConnect.profiles'), []);
});
