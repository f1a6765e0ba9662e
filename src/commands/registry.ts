import { reportFailure } from './reportFailure';
import type { CommandDefinition, Services } from './services';
import { showLog } from './showLog';

/** Every command the extension contributes, one file each. */
export const commands: CommandDefinition[] = [showLog];

/**
 * Runs a command so that it never ends in an unhandled rejection: anything it throws that it did
 * not report itself becomes a notification.
 */
export async function runCommand(services: Services, command: CommandDefinition, args: unknown[]): Promise<unknown> {
  try {
    return await command.run(services, ...args);
  } catch (err) {
    await reportFailure(services, err, { operation: command.id.replace(/^ec2InstanceConnect\./, '') });
    return undefined;
  }
}
