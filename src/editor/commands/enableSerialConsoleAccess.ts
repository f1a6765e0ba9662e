import { cancelled } from '../../core/errors/productError';
import { confirmAndEnableSerialConsole } from '../actions/enableSerialConsole';
import { reportFailure } from '../failures/reportFailure';
import { type ListingTarget, listingTargets } from '../pickers/listingTargets';
import { commandIds } from '../services/commandIds';
import type { Services } from '../services/services';
import type { CommandDefinition } from './command';

/**
 * "Enable Serial Console Access for This Account…" from the palette: for one of the configured profiles and
 * regions (asked when there are several), the same confirm-then-enable as the action of a failed connection.
 */
export const enableSerialConsoleAccess: CommandDefinition = {
  id: commandIds.enableSerialConsoleAccess,
  run: async (services) => {
    const target = await chooseTarget(services, await listingTargets(services));
    const ctx = { operation: 'EnableSerialConsoleAccess', profile: target.profile, region: target.region };
    let enabled: boolean;
    try {
      enabled = await confirmAndEnableSerialConsole(services, target);
    } catch (err) {
      await reportFailure(services, err, ctx, { retry: () => services.ui.executeCommand(enableSerialConsoleAccess.id) });
      return;
    }
    if (!enabled) throw cancelled();
    await services.ui.showMessage('info', `The EC2 serial console is enabled for the account of ${target.profileLabel} in ${target.region}.`);
  },
};

async function chooseTarget(services: Services, targets: ListingTarget[]): Promise<ListingTarget> {
  if (targets.length === 1) return targets[0];
  const chosen = await services.ui.pick(
    targets.map((t) => ({ label: t.region, description: t.profileLabel, value: t })),
    { title: 'Enable the serial console for which account and region?' },
  );
  if (!chosen) throw cancelled();
  return chosen;
}
