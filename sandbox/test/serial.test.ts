// The serial console endpoint: a key pushed with SendSerialConsoleSSHPublicKey opens `<id>.port0`, one
// session per instance, and the console shows the instance's login prompt once Enter is pressed.
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { after, before, test } from 'node:test';

import * as eic from '@aws-sdk/client-ec2-instance-connect';
import { SendSerialConsoleSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';
import { Client, type ClientChannel } from 'ssh2';

import { type Sandbox, type SandboxInstance, startSandbox } from '../index';
import { SERIAL_PASSWORD } from '../serial-login';
import { eicClient, instanceNamed, newKey, sleep } from './helpers';

const refused = /All configured authentication methods failed/;
let sandbox: Sandbox;
let web: SandboxInstance;

before(async () => {
  sandbox = await startSandbox();
  web = instanceNamed(sandbox, 'web-prod-1');
});

after(async () => {
  await sandbox?.stop();
});

async function pushSerial(instance: SandboxInstance, publicKey: string): Promise<void> {
  const result = await eicClient(sandbox, instance.region).send(new SendSerialConsoleSSHPublicKeyCommand({
    InstanceId: instance.instanceId, SerialPort: 0, SSHPublicKey: publicKey,
  }));
  assert.equal(result.Success, true);
}

interface Console {
  client: Client;
  stream: ClientChannel;
  hostFingerprint: string;
  /** Everything the console has printed so far. */
  output: () => string;
  waitFor: (pattern: RegExp) => Promise<string>;
}

function openConsole(instance: SandboxInstance, privateKey: string, port = 0): Promise<Console> {
  const { host, port: sshPort } = sandbox.manifest.serialConsole;
  return new Promise((resolve, reject) => {
    const client = new Client();
    let hostFingerprint = '';
    client.once('error', reject);
    client.once('ready', () => {
      client.shell({ term: 'vt100', cols: 80, rows: 24 }, (error, stream) => {
        if (error) {
          reject(error);
          return;
        }
        let text = '';
        stream.on('data', (data: Buffer) => {
          text += data.toString('utf8');
        });
        const waitFor = async (pattern: RegExp): Promise<string> => {
          const deadline = Date.now() + 5000;
          while (!pattern.test(text)) {
            if (Date.now() > deadline) throw new Error(`console never printed ${pattern}; it printed ${JSON.stringify(text)}`);
            await sleep(20);
          }
          return text;
        };
        resolve({ client, stream, hostFingerprint, output: () => text, waitFor });
      });
    });
    client.connect({
      host, port: sshPort, username: `${instance.instanceId}.port${port}`, privateKey, readyTimeout: 5000,
      hostVerifier: (key: Buffer) => {
        hostFingerprint = `SHA256:${createHash('sha256').update(key).digest('base64').replace(/=+$/, '')}`;
        return true;
      },
    });
  });
}

function closeConsole(session: Console): Promise<void> {
  return new Promise((resolve) => {
    session.client.once('close', () => resolve());
    session.client.end();
  });
}

test('a pushed key opens the console: silent until Enter, then the login prompt, then a shell', async () => {
  const key = newKey();
  await pushSerial(web, key.publicKey);
  const session = await openConsole(web, key.privateKey);
  try {
    assert.equal(session.hostFingerprint, sandbox.manifest.serialConsole.fingerprint);
    await sleep(200);
    assert.equal(session.output(), '', 'nothing before Enter');
    session.stream.write('\r');
    const prompt = await session.waitFor(/login: $/);
    assert.match(prompt, /Amazon Linux 2023/);
    assert.match(prompt, /Kernel 6\.1\.\S+ on an x86_64/);
    assert.match(prompt, /ip-127-1\d\d-\d+-\d+ login: $/);

    session.stream.write('ec2-user\r');
    await session.waitFor(/Password: $/);
    session.stream.write('wrong\r');
    await session.waitFor(/Login incorrect\r\nip-127-1\d\d-\d+-\d+ login: $/);
    assert.doesNotMatch(session.output(), /wrong/, 'the password is not echoed');

    session.stream.write('ec2-user\r');
    await session.waitFor(/Password: $/);
    session.stream.write(`${SERIAL_PASSWORD}\r`);
    session.stream.write('whoami; echo serial-$((6*7))\r');
    await session.waitFor(/ec2-user\r?\n(.*\r?\n)?serial-42/);
  } finally {
    await closeConsole(session);
  }
});

test('one session per instance: a second push is SessionLimitExceeded, a second connection is refused', async () => {
  const key = newKey();
  await pushSerial(web, key.publicKey);
  const first = await openConsole(web, key.privateKey);
  try {
    const error = await pushSerial(web, newKey().publicKey).then(() => assert.fail('expected an error'), (caught: unknown) => caught);
    assert.ok(error instanceof eic.SerialConsoleSessionLimitExceededException);
    // The first key is still inside its window, yet a second connection is refused.
    await assert.rejects(openConsole(web, key.privateKey), refused);
  } finally {
    await closeConsole(first);
  }
  // Once the session has ended, the instance's console is free again.
  const next = newKey();
  await pushSerial(web, next.publicKey);
  await closeConsole(await openConsole(web, next.privateKey));
});

test('a key not pushed for that instance, a port other than 0, or an expired key is refused', async () => {
  const api = instanceNamed(sandbox, 'api-staging');
  const key = newKey();
  await pushSerial(api, key.publicKey);
  await assert.rejects(openConsole(web, key.privateKey), refused);
  await assert.rejects(openConsole(api, newKey().privateKey), refused);
  await assert.rejects(openConsole(api, key.privateKey, 1), refused);

  sandbox.setKeyWindow(0.5);
  try {
    const shortLived = newKey();
    await pushSerial(api, shortLived.publicKey);
    await sleep(700);
    await assert.rejects(openConsole(api, shortLived.privateKey), refused);
  } finally {
    sandbox.setKeyWindow(60);
  }
  await closeConsole(await openConsole(api, key.privateKey));
});

test('with serial console access disabled, the push fails with SerialConsoleAccessDisabledException', async () => {
  sandbox.setSerialConsoleAccess(false);
  try {
    const error = await pushSerial(web, newKey().publicKey).then(() => assert.fail('expected an error'), (caught: unknown) => caught);
    assert.ok(error instanceof eic.SerialConsoleAccessDisabledException);
  } finally {
    sandbox.setSerialConsoleAccess(true);
  }
});
