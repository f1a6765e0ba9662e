import { cancelled } from '../../core/errors/productError';
import { forwardPickItem } from '../pickers/pickForward';
import { type CommandId, commandIds } from '../services/commandIds';
import { describeForwardBriefly } from '../services/forwardText';
import type { PickItem } from '../services/ui';
import type { CommandDefinition } from './command';

const forwardAPort = 'Forward a Port…';

/** The status bar's click: the forwards running, then what to do with the one chosen (Open in Browser, Copy, Stop). */
export const showForwards: CommandDefinition = {
  id: commandIds.showForwards,
  run: async (services) => {
    const running = services.forwardList.list();
    if (running.length === 0) {
      const choice = await services.ui.showMessage('info', 'No port is forwarded. Forward a Port… on a running instance forwards one to this computer.', [forwardAPort]);
      if (choice === forwardAPort) await services.ui.executeCommand(commandIds.forwardPort);
      return;
    }
    const forward = await services.ui.pick(running.map(forwardPickItem), { title: 'Forwarded ports', placeholder: 'Choose a forwarded port to open, copy or stop' });
    if (!forward) throw cancelled();
    const actions: PickItem<CommandId>[] = [
      ...(forward.kind === 'ssh' ? [{ label: '$(globe) Open in Browser', value: commandIds.openForwardInBrowser }] : []),
      { label: '$(copy) Copy Local Address', value: commandIds.copyForwardAddress },
      { label: '$(debug-stop) Stop Forward', value: commandIds.stopForward },
      ...(forward.kind === 'ssh' ? [{ label: '$(history) Restore When the Editor Starts', value: commandIds.restoreForwardOnStartup }] : []),
    ];
    const command = await services.ui.pick(actions, { title: describeForwardBriefly(forward) });
    if (!command) throw cancelled();
    await services.ui.executeCommand(command, forward);
  },
};
