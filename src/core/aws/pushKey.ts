import {
  type EC2InstanceConnectClient,
  SendSerialConsoleSSHPublicKeyCommand,
  SendSSHPublicKeyCommand,
} from '@aws-sdk/client-ec2-instance-connect';

export interface SshKeyPush {
  instanceId: string;
  osUser: string;
  /** The public key line (`ssh-ed25519 AAAA…`). */
  publicKey: string;
  /** The instance's AZ: the service checks it and answers InvalidArgsException when it is wrong. */
  availabilityZone?: string;
}

export interface SerialKeyPush {
  instanceId: string;
  publicKey: string;
  /** The serial port; EC2 has only port 0. */
  serialPort?: number;
}

/** What a push returns: the request id, for the log (AWS support asks for it). */
export interface PushResult {
  requestId?: string;
}

/**
 * Pushes a public key that the instance accepts for `osUser` during the next 60 seconds.
 * Errors are the SDK's modeled exceptions (AuthException, EC2InstanceStateInvalidException, …),
 * left as they are for describeFailure.
 */
export async function pushSshPublicKey(
  client: EC2InstanceConnectClient,
  push: SshKeyPush,
  abortSignal?: AbortSignal,
): Promise<PushResult> {
  const out = await client.send(
    new SendSSHPublicKeyCommand({
      InstanceId: push.instanceId,
      InstanceOSUser: push.osUser,
      SSHPublicKey: push.publicKey,
      AvailabilityZone: push.availabilityZone,
    }),
    { abortSignal },
  );
  return checked(out, 'SendSSHPublicKey');
}

/** Pushes a public key that the region's serial console endpoint accepts for this instance during 60 seconds. */
export async function pushSerialConsolePublicKey(
  client: EC2InstanceConnectClient,
  push: SerialKeyPush,
  abortSignal?: AbortSignal,
): Promise<PushResult> {
  const out = await client.send(
    new SendSerialConsoleSSHPublicKeyCommand({
      InstanceId: push.instanceId,
      SerialPort: push.serialPort ?? 0,
      SSHPublicKey: push.publicKey,
    }),
    { abortSignal },
  );
  return checked(out, 'SendSerialConsoleSSHPublicKey');
}

function checked(out: { Success?: boolean; RequestId?: string }, operation: string): PushResult {
  // The service answers errors with exceptions; Success false is not documented, but must not pass silently.
  if (out.Success === false) {
    throw Object.assign(new Error(`${operation} did not succeed (request id ${out.RequestId ?? 'unknown'}).`), { name: 'ServiceException' });
  }
  return { requestId: out.RequestId };
}
