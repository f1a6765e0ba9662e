import { type Ec2Instance, instanceLabel } from '../../core/aws/model';
import { checkSerialConsoleReady } from '../../core/connect/serialConsoleReady';
import { serialConsoleGreeting } from '../../core/connect/serialConsoleText';
import { describeFailure } from '../../core/errors/describe';
import { startAndWait } from '../actions/startAndWait';
import { instanceContext } from '../failures/instanceContext';
import { reportFailure } from '../failures/reportFailure';
import { serialConsoleFailed, type SerialConsoleFailureOptions } from '../failures/serialConsoleFailure';
import type { Services } from '../services/services';
import { TerminalSession } from './terminalSession';

export type SerialConsoleTerminalOptions = SerialConsoleFailureOptions;

/**
 * The serial console in the editor: a terminal like Connect's (the same TerminalSession and pseudoterminal),
 * whose channel is the serial console session. A stopped instance is a notification before any terminal
 * opens; every later failure is written in the terminal and shown as a notification whose actions fix it
 * and then continue in the same terminal (enable access, wait for the console to be free, start, reboot,
 * another profile).
 */
export async function openSerialConsoleTerminal(services: Services, instance: Ec2Instance, options: SerialConsoleTerminalOptions = {}): Promise<void> {
  try {
    checkSerialConsoleReady(instance);
  } catch (err) {
    await reportFailure(services, err, instanceContext(instance, 'serialConsole'), {
      startInstance: async () => openSerialConsoleTerminal(services, await startAndWait(services, instance), options),
    });
    return;
  }

  const connector = services.serialConsole();
  const state = { current: instance };
  services.ui.openTerminal(
    `${instanceLabel(instance)} (serial console)`,
    (output) => {
      const session: TerminalSession = new TerminalSession(
        async ({ size, attempt, status, signal }) => {
          // A retry looks the instance up again: it may have been started, stopped or switched to another profile.
          const opened = await connector.open({ instance: state.current, refresh: attempt > 0, size, onStatus: status, signal });
          state.current = opened.instance;
          for (const line of serialConsoleGreeting(opened.instance, 'close this terminal')) status(line);
          return opened.channel;
        },
        {
          ...output,
          describe: (err) => describeFailure(err, instanceContext(state.current, 'serialConsole')).message,
          failed: (err) => void serialConsoleFailed(services, err, state, () => session.reconnect(), options),
        },
      );
      return session;
    },
    { iconId: 'debug-console' },
  );
}
