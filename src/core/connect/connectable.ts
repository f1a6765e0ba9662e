import type { Ec2Instance } from '../aws/model';
import { instanceDescription } from '../errors/activity';
import { ProductError } from '../errors/productError';
import { checkNotWindows } from './osUser';

/**
 * Throws when an instance cannot take an SSH connection in its current state: Windows, or not running.
 * Checked before a terminal opens, so the failure is a notification (with "Start Instance" for a stopped one).
 */
export function checkConnectable(instance: Ec2Instance): void {
  checkNotWindows(instance);
  const who = instanceDescription(instance);
  switch (instance.state) {
    case 'running':
      return;
    case 'stopped':
      throw new ProductError('instanceNotRunning', `${who} is stopped. Start it, then connect.`, { state: instance.state });
    case 'pending':
      throw new ProductError('instanceNotRunning', `${who} is still starting. Wait until it is running (about a minute), then connect.`, {
        state: instance.state,
      });
    case 'stopping':
      throw new ProductError('instanceNotRunning', `${who} is stopping, so it cannot take a connection. Start it again once it has stopped.`, {
        state: instance.state,
      });
    default:
      throw new ProductError('instanceNotRunning', `${who} is ${instance.state}: it cannot take connections any more.`, { state: instance.state });
  }
}
