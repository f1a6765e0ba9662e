import { describeFailure } from '../../core/errors/describe';
import { isProductError } from '../../core/errors/productError';
import { hasForwardsToRestore, type RestoreEntry, restoreForwardsSetting } from '../services/forwardSettings';
import type { Services } from '../services/services';

const openSettings = 'Open Settings';
const showLog = 'Show Log';

/** Failures that are about one forward; any other (the instance, its connection) stops that instance's other forwards too. */
const aboutOneForward = new Set(['badInput', 'portInUse', 'forwardRefused', 'forwardingDisabled']);

/**
 * The forwards of `ec2InstanceConnect.restoreForwards`, started again when the editor starts: the instances side
 * by side, each one's forwards in turn on its one connection. Whatever failed is said in one notification, not
 * one per forward. Does nothing (and loads nothing) when the setting is empty.
 */
export async function restoreForwards(services: Services): Promise<{ restored: number; failed: number }> {
  const settings = services.forwardSettings();
  if (!hasForwardsToRestore(settings)) return { restored: 0, failed: 0 };
  const { restore, restoreProblems, bindAddress } = settings;
  const log = services.log.child('forward');
  const results = await Promise.all(restore.map((entry) => restoreEntry(services, entry, bindAddress)));
  const failures = [...restoreProblems, ...results.flatMap((r) => r.failures)];
  const restored = results.reduce((sum, r) => sum + r.restored, 0);
  const total = restored + failures.length;
  log.info(`restored ${restored} of ${total} forwarded ports (${restoreForwardsSetting})`);
  if (failures.length === 0) return { restored, failed: 0 };
  for (const failure of failures) log.warn(`not restored: ${failure}`);
  const more = failures.length > 1 ? ` (and ${failures.length - 1} more: see the log)` : '';
  const choice = await services.ui.showMessage(
    'warning',
    `Could not restore ${failures.length} of ${total} forwarded ports (${restoreForwardsSetting}): ${failures[0]}${more}`,
    [openSettings, showLog],
  );
  if (choice === openSettings) await services.ui.executeCommand('workbench.action.openSettings', restoreForwardsSetting);
  else if (choice === showLog) services.showLog();
  return { restored, failed: failures.length };
}

async function restoreEntry(services: Services, entry: RestoreEntry, bindAddress: string): Promise<{ restored: number; failures: string[] }> {
  const instance = { instanceId: entry.instanceId, region: entry.region, profile: entry.profile };
  const ctx = { operation: 'connect', instanceId: entry.instanceId, region: entry.region, profile: entry.profile, osUser: entry.osUser };
  const failures: string[] = [];
  let restored = 0;
  let instanceFailure: string | undefined;
  for (const text of entry.forwards) {
    const what = `"${text}" on ${entry.instanceId}`;
    if (instanceFailure) {
      failures.push(`${what}: ${instanceFailure}`);
      continue;
    }
    try {
      const spec = services.core().parseForwardSpec(text, { bindAddress });
      await services.forwards().forwardPort({ instance, spec, osUser: entry.osUser });
      restored++;
    } catch (err) {
      const { message } = describeFailure(err, ctx);
      failures.push(`${what}: ${message}`);
      if (!isProductError(err) || !aboutOneForward.has(err.kind)) instanceFailure = message;
    }
  }
  return { restored, failures };
}
