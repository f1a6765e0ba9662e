import type { Ec2Instance } from '../aws/model';
import { describeTarget } from '../errors/activity';
import { ProductError } from '../errors/productError';

/**
 * Throws ProductError('instanceNotRunning') unless the instance is running: the serial console needs it.
 * Pure, so the editor checks it before opening a terminal and the core again after looking the instance up.
 */
export function checkSerialConsoleReady(instance: Pick<Ec2Instance, 'instanceId' | 'name' | 'region' | 'state'>): void {
  if (instance.state === 'running') return;
  const who = describeTarget({ instanceId: instance.instanceId, instanceName: instance.name, region: instance.region });
  const messages: Partial<Record<Ec2Instance['state'], string>> = {
    stopped: `${who} is stopped. Start it, then connect to its serial console (which shows the boot from the start).`,
    pending: `${who} is still starting. Connect to its serial console once it is running, in a few seconds.`,
    stopping: `${who} is stopping, so its serial console cannot be reached. Start it again once it has stopped.`,
  };
  throw new ProductError('instanceNotRunning', messages[instance.state] ?? `${who} is ${instance.state}: its serial console cannot be reached any more.`, {
    state: instance.state,
  });
}
