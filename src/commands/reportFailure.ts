import { describeFailure } from '../errors/describe';
import { isProductError } from '../errors/productError';
import { actionTitles, type FailureAction, type FailureContext } from '../errors/types';
import { describeThrown } from '../log';
import type { Services } from './services';

export type FailureHandlers = Partial<Record<FailureAction, () => unknown>>;

const showLogTitle = 'Show Log';

/**
 * Every failure of every command ends here: logged with its code and AWS request id (never secrets),
 * then shown as a notification that says what happened, with the actions that fix it and "Show Log".
 * Actions without a handler from the caller fall back to the generic ones below, or are left out.
 */
export async function reportFailure(
  services: Services,
  err: unknown,
  ctx: FailureContext,
  handlers: FailureHandlers = {},
): Promise<void> {
  if (isProductError(err, 'cancelled')) return;
  const report = describeFailure(err, ctx);
  services.log.error(
    `${ctx.operation} failed${ctx.instanceId ? ` for ${ctx.instanceId}` : ''}${ctx.region ? ` in ${ctx.region}` : ''}: ${describeThrown(err)}` +
      (report.code ? ` [${report.code}]` : ''),
  );

  const generic: FailureHandlers = {
    showRequiredPolicy: () =>
      report.requiredPolicy && services.ui.openUntitled(JSON.stringify(report.requiredPolicy, null, 2), 'json'),
    learnMore: () => report.learnMoreUrl && services.ui.openExternal(report.learnMoreUrl),
    openSettings: () => services.ui.executeCommand('workbench.action.openSettings', 'ec2InstanceConnect'),
    switchProfile: () => services.ui.executeCommand('ec2InstanceConnect.chooseProfiles'),
    refresh: () => services.ui.executeCommand('ec2InstanceConnect.refresh'),
  };
  const available = report.actions.filter((action) => handlers[action] ?? generic[action]);
  const titles = [...available.map((action) => actionTitles[action]), showLogTitle];

  const chosen = await services.ui.showMessage(report.severity, report.message, titles);
  if (chosen === showLogTitle) {
    services.showLog();
    return;
  }
  const action = available.find((a) => actionTitles[a] === chosen);
  if (!action) return;
  try {
    await (handlers[action] ?? generic[action])?.();
  } catch (followUp) {
    // A failing follow-up (a retry that fails again) is reported once more, without looping on itself.
    if (followUp !== err) await reportFailure(services, followUp, ctx, handlers);
  }
}
