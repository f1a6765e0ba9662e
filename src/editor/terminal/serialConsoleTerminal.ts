import type { Ec2Instance } from '../../core/aws/model';
import { checkSerialConsoleReady } from '../../core/connect/serialConsoleReady';
import { serialConsoleGreeting, serialConsoleTeardownSeconds } from '../../core/connect/serialConsoleText';
import { confirmAndEnableSerialConsole, pickAnotherProfile, waitWithCountdown } from '../actions/failureActions';
import { describedAgain, instanceContext, instanceTitle } from '../failures/instanceFailure';
import { confirmReboot } from '../commands/rebootInstance';
import { reportFailure, type FailureHandlers } from '../failures/reportFailure';
import { serialConnectorFor } from '../services/serialConnector';
import type { Services } from '../services/services';
import { startAndWait } from '../commands/startInstance';
import { describeFailure } from '../../core/errors/describe';
import { errorCode } from '../../core/errors/errorShape';
import { instanceLabel } from '../tree/nodes/instanceNode';
import { TerminalSession } from './terminalSession';

export interface SerialConsoleTerminalOptions {
  /** How long "Retry in 30 s" waits (AWS frees the console about 30 s after a session); tests shorten it. */
  retryDelaySeconds?: number;
}

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

  const connector = serialConnectorFor(services);
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
          failed: (err) => void serialConsoleFailed(services, err, state, session, options),
        },
      );
      return session;
    },
    { iconId: 'debug-console' },
  );
}

async function serialConsoleFailed(
  services: Services,
  err: unknown,
  state: { current: Ec2Instance },
  session: TerminalSession,
  options: SerialConsoleTerminalOptions,
): Promise<void> {
  // The row the command came from may be stale: "Start Instance" only when the instance is stopped now.
  if (errorCode(err) === 'EC2InstanceStateInvalidException') state.current = (await describedAgain(services, state.current)) ?? state.current;
  const instance = state.current;
  const handlers: FailureHandlers = {
    retry: () => session.reconnect(),
    retryIn30s: async () => {
      const seconds = options.retryDelaySeconds ?? serialConsoleTeardownSeconds;
      if (await waitWithCountdown(services, `Waiting for the serial console of ${instanceTitle(instance)} to be free…`, seconds)) session.reconnect();
    },
    enableSerialConsole: async () => {
      if (await confirmAndEnableSerialConsole(services, { profile: instance.profile, region: instance.region })) session.reconnect();
    },
    startInstance: async () => {
      state.current = await startAndWait(services, instance);
      session.reconnect();
    },
    rebootInstance: async () => {
      if (!(await confirmReboot(services, instance))) return;
      await services.core().rebootInstance(services.aws().ec2Client(instance), instance.instanceId);
      services.log.info(`[serial] reboot requested for ${instance.instanceId}; connecting again to watch it boot`);
      session.reconnect();
    },
    switchProfile: async () => {
      const profile = await pickAnotherProfile(services, instance.profile, 'connect to the serial console');
      if (profile === null) return;
      state.current = { ...instance, profile };
      session.reconnect();
    },
  };
  await reportFailure(services, err, instanceContext(instance, 'serialConsole'), handlers);
}
