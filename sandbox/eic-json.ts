// The EC2 Instance Connect API (AWS JSON 1.1): the two key pushes, validated the way the service does.
import type { InstanceRecord } from './account';
import { eicError } from './api-errors';
import type { Fleet } from './fleet';
import type { KeyStore } from './key-store';
import type { EicOperation } from './operations';
import { pushedKeyProblem } from './ssh-keys';

export interface EicAccount {
  fleet: Fleet;
  keys: KeyStore;
  serialConsoleAccess: boolean;
  serialSessionOpen: (instanceId: string) => boolean;
}

const INSTANCE_ID = /^i-([0-9a-f]{8}|[0-9a-f]{17})$/;
/** The model's pattern for InstanceOSUser. */
const OS_USER = /^[A-Za-z_][A-Za-z0-9@._-]{0,30}[A-Za-z0-9$_-]?$/;

function runningInstance(account: EicAccount, region: string, id: unknown): InstanceRecord {
  if (typeof id !== 'string' || !INSTANCE_ID.test(id)) {
    throw eicError('InvalidArgsException', `Invalid instance ID: ${JSON.stringify(id ?? '')}`);
  }
  const instance = account.fleet.find(region, id);
  if (!instance) throw eicError('EC2InstanceNotFoundException', `Instance ${id} not found`);
  return instance;
}

function checkRunning(instance: InstanceRecord): void {
  if (instance.state !== 'running') {
    throw eicError('EC2InstanceStateInvalidException', `Instance ${instance.instanceId} is not in a valid state for this operation. Its state is ${instance.state}; it must be running.`);
  }
}

function checkKey(key: unknown): string {
  const problem = pushedKeyProblem(key);
  if (problem) throw eicError('InvalidArgsException', problem);
  return key as string;
}

export function handleEic(operation: EicOperation, region: string, input: Record<string, unknown>, account: EicAccount): Record<string, unknown> {
  if (operation === 'SendSSHPublicKey') {
    const user = input.InstanceOSUser;
    if (typeof user !== 'string' || !OS_USER.test(user)) {
      throw eicError('InvalidArgsException', `Invalid InstanceOSUser: ${JSON.stringify(user ?? '')}`);
    }
    const key = checkKey(input.SSHPublicKey);
    const instance = runningInstance(account, region, input.InstanceId);
    const zone = input.AvailabilityZone;
    if (zone !== undefined && zone !== instance.availabilityZone) {
      throw eicError('InvalidArgsException', `Instance ${instance.instanceId} is not in availability zone ${String(zone)}.`);
    }
    checkRunning(instance);
    // An OS user the instance does not have is accepted: the login simply fails, as on AWS.
    account.keys.pushSsh(instance.instanceId, user, key);
    return { Success: true };
  }
  const port = input.SerialPort ?? 0;
  if (port !== 0) throw eicError('InvalidArgsException', `Serial port ${JSON.stringify(port)} is not supported. Only port 0 is supported.`);
  const key = checkKey(input.SSHPublicKey);
  const instance = runningInstance(account, region, input.InstanceId);
  if (!account.serialConsoleAccess) {
    throw eicError('SerialConsoleAccessDisabledException', 'Serial console access is disabled for your account. Use ec2:EnableSerialConsoleAccess to enable it.');
  }
  if (!instance.nitro) {
    throw eicError('EC2InstanceTypeInvalidException', `The instance type ${instance.instanceType} is not supported for connecting to the serial console. Only Nitro instance types are supported.`);
  }
  checkRunning(instance);
  if (account.serialSessionOpen(instance.instanceId)) throw eicError('SerialConsoleSessionLimitExceededException');
  account.keys.pushSerial(instance.instanceId, key);
  return { Success: true };
}
