import { describeThrown } from '../../core/base/log';
import { serialConsoleTeardownSeconds } from '../../core/connect/serialConsoleText';
import { activity } from '../../core/errors/activity';
import { describeFailure } from '../../core/errors/describe';
import { isProductError } from '../../core/errors/productError';
import { actionTitles, type FailureAction, type FailureContext, type FailureReport } from '../../core/errors/types';
import { waitWithCountdown } from '../actions/countdown';
import { confirmAndEnableSerialConsole } from '../actions/enableSerialConsole';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';

export type FailureHandlers = Partial<Record<FailureAction, () => unknown>>;

const showLogTitle = 'Show Log';

/**
 * Every failure of every command ends here: logged with its code and AWS request id (never secrets),
 * then shown as a notification that says what happened, with the actions that fix it and "Show Log".
 * The caller's handlers do what only it can (retry its own operation, reconnect its terminal); the
 * generic ones below do the rest, and an action neither can do is left out.
 *
 * Never rejects: it is the last stop of every command, and is often called without being awaited.
 */
export async function reportFailure(services: Services, err: unknown, ctx: FailureContext, handlers: FailureHandlers = {}): Promise<void> {
  try {
    await show(services, err, ctx, handlers);
  } catch (unexpected) {
    services.log.error(`[failure] could not show the failure of ${ctx.operation}: ${describeThrown(unexpected)}`);
  }
}

async function show(services: Services, err: unknown, ctx: FailureContext, handlers: FailureHandlers): Promise<void> {
  if (isProductError(err, 'cancelled')) return;
  const report = describeFailure(err, ctx);
  if (report.code === 'cancelled') return;
  services.log.error(logLine(err, ctx, report));

  const all: FailureHandlers = { ...genericHandlers(services, ctx, report, handlers), ...handlers };
  const available = report.actions.filter((action) => all[action]);
  const titles = [...available.map((action) => actionTitles[action]), showLogTitle];

  const chosen = await services.ui.showMessage(report.severity, report.message, titles);
  if (chosen === showLogTitle) {
    services.showLog();
    return;
  }
  const action = available.find((a) => actionTitles[a] === chosen);
  if (!action) return;
  services.log.info(`[failure] ${actionTitles[action]} chosen after ${ctx.operation} failed`);
  try {
    await all[action]?.();
  } catch (followUp) {
    // A follow-up that fails (a retry that fails again, a denied enable) is reported in turn, with the same handlers.
    if (followUp !== err) await show(services, followUp, followUpContext(ctx, action), handlers);
  }
}

/** What was being done, the error with its AWS request id, and the code: what support asks for. Redacted by describeThrown. */
function logLine(err: unknown, ctx: FailureContext, report: FailureReport): string {
  const where = [ctx.instanceId && `for ${ctx.instanceId}`, ctx.region && `in ${ctx.region}`, ctx.profile && `with profile ${ctx.profile}`].filter(Boolean).join(' ');
  const code = report.code ? ` [${report.code}]` : '';
  const requestId = report.requestId && !describeThrown(err).includes(report.requestId) ? ` (request id ${report.requestId})` : '';
  return `[failure] ${ctx.operation}${where ? ` ${where}` : ''} failed: ${describeThrown(err)}${requestId}${code}`;
}

/** A follow-up's own failure is about what it did: enabling the serial console, not the connection. */
const followUpOperations: Partial<Record<FailureAction, string>> = {
  enableSerialConsole: 'EnableSerialConsoleAccess',
  startInstance: 'StartInstances',
  rebootInstance: 'RebootInstances',
  createEndpoint: 'CreateInstanceConnectEndpoint',
};

function followUpContext(ctx: FailureContext, action: FailureAction): FailureContext {
  const operation = followUpOperations[action];
  return operation ? { ...ctx, operation } : ctx;
}

/** Actions that need nothing from the caller, or only its retry. */
function genericHandlers(services: Services, ctx: FailureContext, report: FailureReport, handlers: FailureHandlers): FailureHandlers {
  const retry = handlers.retry;
  const generic: FailureHandlers = {
    learnMore: report.learnMoreUrl ? () => services.ui.openExternal(report.learnMoreUrl ?? '') : undefined,
    showRequiredPolicy: report.requiredPolicy
      ? () => services.ui.openUntitled(`${JSON.stringify(report.requiredPolicy, null, 2)}\n`, 'json')
      : undefined,
    openSettings: () => services.ui.executeCommand('workbench.action.openSettings', report.settingsQuery ?? 'ec2InstanceConnect'),
    openAwsConfig: () => services.ui.executeCommand(commandIds.openAwsConfig),
    switchProfile: () => services.ui.executeCommand(commandIds.chooseProfiles),
    refresh: () => services.ui.executeCommand(commandIds.refresh),
    signIn: async () => {
      const profile = (await services.core().loadProfiles()).find((p) => p.name === ctx.profile);
      if (!profile) return services.ui.executeCommand(commandIds.openAwsConfig);
      // The Sign In command of the profile's row: it reports its own failures, and resolves true once signed in.
      const signedIn = await services.ui.executeCommand(commandIds.signIn, { kind: 'profileError', profile, problem: 'signIn', message: report.message });
      if (signedIn === true) await retry?.();
    },
  };
  if (retry) {
    generic.retryIn30s = async () => {
      const title = `Waiting for the serial console to be free, to ${activity(ctx)}…`;
      if (await waitWithCountdown(services, title, serialConsoleTeardownSeconds)) await retry();
    };
  }
  if (ctx.region) {
    const region = ctx.region;
    generic.enableSerialConsole = async () => {
      if ((await confirmAndEnableSerialConsole(services, { profile: ctx.profile, region })) && retry) await retry();
    };
  }
  return generic;
}
