import type { Ec2Instance } from '../aws/model';
import { describeTarget } from '../errors/activity';

/** AWS frees an instance's serial console about 30 seconds after a session ends. */
export const serialConsoleTeardownSeconds = 30;

/**
 * What a serial console session says once it is open, before any console output: the console stays silent
 * until Enter, logging in needs a password, and how the session ends (closing the terminal in the editor,
 * `~.` in a shell) and when the next one can start.
 */
export function serialConsoleGreeting(instance: Pick<Ec2Instance, 'instanceId' | 'name' | 'region'>, howToEnd: string): string[] {
  const who = describeTarget({ instanceId: instance.instanceId, instanceName: instance.name, region: instance.region });
  return [
    `Connected to the serial console of ${who}.`,
    'It shows nothing until you press Enter: then its login prompt (or whatever runs on it) appears. Logging in needs an OS user with a password.',
    `To end the session, ${howToEnd}. A new session can start about ${serialConsoleTeardownSeconds} seconds after one ends.`,
    '',
  ];
}
