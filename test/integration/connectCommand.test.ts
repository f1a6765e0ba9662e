import assert from 'node:assert/strict';
import { after, before, beforeEach, test } from 'node:test';

import type { Instance } from '@aws-sdk/client-ec2';

import type { AwsProfile } from '../../src/core/aws/profiles';
import { defaultSettings } from '../../src/core/base/settings';
import * as core from '../../src/core/core';
import { chooseOsUser } from '../../src/editor/commands/chooseOsUser';
import { connect } from '../../src/editor/commands/connect';
import { forgetHostKey } from '../../src/editor/commands/forgetHostKey';
import { FakeAws } from '../fakes/fakeAws';
import { FakeBackend } from '../fakes/fakeBackend';
import { fakeServices } from '../fakes/fakeServices';
import { instance, sdkInstance } from '../fakes/sdkInstances';
import { TestSshServer } from '../fakes/sshServer';
import { waitFor } from '../fakes/waitFor';

let server: TestSshServer;
let aws: FakeAws;
const id = 'i-0123456789abcdef0';

before(async () => {
  server = await new TestSshServer().start();
});
after(() => server.stop());

beforeEach(() => {
  aws = new FakeAws();
  aws.images.set('ami-0abcdef1234567890', { ImageId: 'ami-0abcdef1234567890', Name: 'ubuntu/images/hvm-ssd/ubuntu-jammy-22.04-amd64-server-20241002' });
  aws.instances.set(id, sdkInstance({ PublicIpAddress: '127.0.0.1' }));
  aws.onPush = (push) => server.authorize(push.InstanceOSUser!, push.SSHPublicKey!);
});

const row = (overrides: Partial<Instance> = {}) => ({ kind: 'instance' as const, instance: instance({ PublicIpAddress: '127.0.0.1', ...overrides }) });

const environment: AwsProfile = { name: undefined, label: 'Environment credentials', region: 'us-east-1', source: 'environment' };

function editor(backend?: FakeBackend) {
  return fakeServices({ core, aws: aws.clients(), backend, settings: { ...defaultSettings, regions: ['us-east-1'], port: server.port, connectTimeoutSeconds: 5 } });
}

test('Connect on a row: a terminal named after the instance shows who it connects to, then the shell', async () => {
  const { services, ui } = editor();
  await connect.run(services, row());
  const [terminal] = ui.terminals;
  assert.equal(terminal.name, 'web-1');
  await waitFor(() => terminal.text.includes('ubuntu$ '), 'the prompt');
  assert.ok(terminal.text.startsWith(`Connecting to ubuntu@127.0.0.1 (${id})…\r\n`), JSON.stringify(terminal.text));
  terminal.logic.input('whoami\r');
  await waitFor(() => terminal.text.includes('ubuntu\n'), 'the output of whoami');
  terminal.logic.input('exit 4\r');
  await waitFor(() => terminal.closedWith !== 'open', 'the terminal to close');
  assert.equal(terminal.closedWith, 4);
  assert.deepEqual(ui.messages, []);
});

test('two terminals at once, to the same instance', async () => {
  const { services, ui } = editor();
  await connect.run(services, row());
  await connect.run(services, row());
  await waitFor(() => ui.terminals.every((t) => t.text.includes('ubuntu$ ')), 'both prompts');
  ui.terminals[0].logic.input('exit 1\r');
  await waitFor(() => ui.terminals[0].closedWith === 1, 'the first to close');
  ui.terminals[1].logic.input('whoami\r');
  await waitFor(() => ui.terminals[1].text.includes('ubuntu\n'), 'the second to still work');
  ui.terminals[1].logic.close();
});

test('a stopped instance: a notification offering Start Instance, and no terminal', async () => {
  const { services, ui } = editor();
  ui.messageAnswers.push('Start Instance');
  await connect.run(services, row({ State: { Name: 'stopped' } }));
  assert.deepEqual(ui.terminals, []);
  assert.match(ui.messages[0].message, /web-1 \(i-0123456789abcdef0\) in us-east-1 is stopped/);
  assert.deepEqual(ui.messages[0].actions, ['Start Instance', 'Show Log']);
  assert.equal(ui.executed[0].command, 'ec2InstanceConnect.startInstance');
  assert.equal(aws.pushes.length, 0);
});

test('a row still showing running for an instance stopped since: the notification offers Start, and the row is updated', async () => {
  aws.instances.set(id, sdkInstance({ PublicIpAddress: '127.0.0.1', State: { Name: 'stopped' } }));
  aws.onPush = () => {
    throw Object.assign(new Error('Instance is not running'), { name: 'EC2InstanceStateInvalidException' });
  };
  // The view listed it running a moment ago.
  const listedRow = row();
  const { services, ui } = editor(new FakeBackend([environment], { '/us-east-1': { pages: [[listedRow.instance]] } }));
  await services.inventory.ensureLoaded();
  await services.inventory.settled();
  await connect.run(services, listedRow);
  await waitFor(() => ui.messages.length > 0, 'the notification');
  assert.match(ui.messages[0].message, /is stopped/);
  assert.deepEqual(ui.messages[0].actions, ['Start Instance', 'Show Log']);
  assert.deepEqual(services.inventory.instances().map((i) => i.state), ['stopped'], 'shown stopped wherever it is listed');
  ui.terminals[0].logic.close();
});

test('no public address and no endpoint in its VPC: said before any terminal opens, with Create Instance Connect Endpoint…', async () => {
  const { services, ui } = editor();
  await connect.run(services, row({ PublicIpAddress: undefined, VpcId: 'vpc-0aaa', SubnetId: 'subnet-0bbb' }));
  assert.deepEqual(ui.terminals, []);
  assert.match(ui.messages[0].message, /web-1 \(i-0123456789abcdef0\) in us-east-1 has no public address and there is no EC2 Instance Connect Endpoint in vpc-0aaa/);
  assert.deepEqual(ui.messages[0].actions, ['Create Instance Connect Endpoint…', 'Learn More', 'Show Log']);
});

test('no address at all: the notification says so, with the setting to change', async () => {
  const { services, ui } = editor();
  await connect.run(services, row({ PublicIpAddress: undefined, PrivateIpAddress: undefined }));
  assert.deepEqual(ui.terminals, []);
  assert.match(ui.messages[0].message, /has no IP address/);
  assert.deepEqual(ui.messages[0].actions, ['Open Settings', 'Show Log']);
});

test('a refused user: the terminal says so, the notification offers Choose Another User, which reconnects in the same terminal', async () => {
  aws.onPush = (push) => {
    if (push.InstanceOSUser === 'admin') server.authorize('admin', push.SSHPublicKey!);
  };
  const { services, ui, store } = editor();
  ui.messageAnswers.push('Choose Another User');
  ui.pickAnswers.push((labels) => labels.find((l) => l === 'admin'));
  await connect.run(services, row());
  const [terminal] = ui.terminals;
  await waitFor(() => terminal.text.includes('admin$ '), 'the prompt as admin');
  assert.match(terminal.text, /refused the key pushed for the user "ubuntu" \(guessed from its image\), also after the key was pushed a second time/);
  assert.match(terminal.text, /Press Enter to try again, or close this terminal\.\r\n/);
  assert.deepEqual(ui.messages[0].actions, ['Choose Another User', 'Retry', 'Show Log']);
  assert.match(terminal.text, /Connecting to admin@127\.0\.0\.1/);
  assert.equal(aws.pushes.filter((p) => p.InstanceOSUser === 'ubuntu').length, 2, 'one re-push, no more');
  terminal.logic.close();

  const { services: again, ui: ui2 } = fakeServices({ core, aws: aws.clients(), store, settings: { ...defaultSettings, port: server.port } });
  await connect.run(again, row());
  await waitFor(() => ui2.terminals[0].text.includes('admin$ '), 'the chosen user remembered');
  ui2.terminals[0].logic.close();
});

test('a changed host key: a modal with both fingerprints; Trust New Key reconnects; Cancel leaves it stopped', async () => {
  const { services, ui } = editor();
  await services.store.update(`hostKey/${id}`, { fingerprint: 'SHA256:oldoldoldoldoldoldoldoldoldoldoldoldoldoldo', type: 'ecdsa', trustedAt: '2024-01-01T00:00:00.000Z' });
  ui.messageAnswers.push(undefined);
  await connect.run(services, row());
  const [first] = ui.terminals;
  await waitFor(() => ui.messages.length === 1, 'the modal');
  const modal = ui.messages[0];
  assert.equal(modal.modal, true);
  assert.deepEqual(modal.actions, ['Trust New Key']);
  assert.match(first.text, /SHA256:oldoldoldoldoldoldoldoldoldoldoldoldoldoldo \(ecdsa\), now it is SHA256:\S+ \(ed25519\)/);
  assert.equal(aws.pushes.length, 1, 'the key was pushed, but never offered to the changed host');
  first.logic.close();

  ui.messageAnswers.push('Trust New Key');
  await connect.run(services, row());
  const second = ui.terminals[1];
  await waitFor(() => second.text.includes('ubuntu$ '), 'the prompt after trusting the new key');
  const stored = services.store.get<{ fingerprint: string }>(`hostKey/${id}`);
  assert.ok(stored && stored.fingerprint !== 'SHA256:oldoldoldoldoldoldoldoldoldoldoldoldoldoldo');
  second.logic.close();
});

test('a dropped connection: the reason and "Press Enter to reconnect"; Enter pushes a fresh key and reconnects', async () => {
  const { services, ui } = editor();
  await connect.run(services, row());
  const [terminal] = ui.terminals;
  await waitFor(() => terminal.text.includes('ubuntu$ '), 'the prompt');
  server.drop();
  await waitFor(() => terminal.text.includes('Press Enter to reconnect'), 'the reconnect offer');
  assert.match(terminal.text, /The connection to web-1 \(i-0123456789abcdef0\) in us-east-1 at 127\.0\.0\.1 port \d+ was lost: .+\.\r\nPress Enter to reconnect, or close this terminal\.\r\n$/);
  const pushes = aws.pushes.length;
  terminal.logic.input('\r');
  await waitFor(() => terminal.text.split('ubuntu$ ').length === 3, 'a second prompt');
  assert.equal(aws.pushes.length, pushes + 1);
  assert.notEqual(aws.pushes.at(-1)!.SSHPublicKey, aws.pushes.at(-2)!.SSHPublicKey, 'a fresh key');
  assert.deepEqual(ui.messages, [], 'a drop is not a notification');
  terminal.logic.close();
});

test('Choose OS User remembers the choice (free text too) and offers to connect', async () => {
  const { services, ui } = editor();
  ui.pickAnswers.push((labels) => labels.find((l) => l === 'Other user…'));
  ui.inputAnswers.push('deploy');
  ui.messageAnswers.push(undefined);
  await chooseOsUser.run(services, row());
  assert.equal(services.store.get(`osUser/${id}`), 'deploy');
  assert.equal(ui.inputs[0].validate?.('bad name'), 'A user name is 1 to 32 letters, digits, "_", "-" or ".", starting with a letter or "_".');
  assert.deepEqual(ui.messages[0], { severity: 'info', message: 'Connect logs in to web-1 (i-0123456789abcdef0) as "deploy" from now on.', actions: ['Connect'], modal: false });

  ui.pickAnswers.push((labels) => (assert.equal(labels[0], 'deploy'), labels[0]));
  ui.messageAnswers.push(undefined);
  await chooseOsUser.run(services, row());
});

test('Forget Host Key removes the stored key, and says when there was none', async () => {
  const { services, ui } = editor();
  await services.store.update(`hostKey/${id}`, { fingerprint: 'SHA256:abc', type: 'ed25519', trustedAt: '2024-01-01T00:00:00.000Z' });
  await forgetHostKey.run(services, row());
  assert.equal(services.store.get(`hostKey/${id}`), undefined);
  assert.match(ui.messages[0].message, /Forgot the host key of web-1 \(i-0123456789abcdef0\) \(SHA256:abc\)/);
  await forgetHostKey.run(services, row());
  assert.equal(ui.messages[1].message, 'No host key is stored for web-1 (i-0123456789abcdef0).');
});
