import { posix } from 'node:path';

import type { RemoteFiles } from '../../core/files/remoteFiles';
import { inert } from '../pickers/instancePickItems';
import type { Services } from '../services/services';
import type { LivePickItem } from '../services/ui';
import { remotePath } from './fileUri';

type Choice = { kind: 'use' } | { kind: 'open'; path: string } | { kind: 'typed'; path: string } | { kind: 'none' };

const directoryBit = 2;

export interface PickRemoteFolderOptions {
  /** Where browsing starts (the user's home). */
  start: string;
  /** What `~` stands for in a typed path. */
  home: string;
  /** "Open a folder of web-1 (i-0abc…) as ec2-user": the folder being looked at is added to it. */
  title: string;
}

/**
 * A quick pick that browses the instance's folders: "Use This Folder", `..`, then the subfolders of the one
 * shown; choosing a subfolder shows it. A typed path (`/var/log`, `~/app`) is used as it is, once the instance
 * says it is a folder; otherwise the pick shows again with why. Undefined when dismissed.
 */
export async function pickRemoteFolder(services: Services, remote: Pick<RemoteFiles, 'readDirectory' | 'stat'>, options: PickRemoteFolderOptions): Promise<string | undefined> {
  let folder = remotePath(options.start);
  let problem: string | undefined;
  for (;;) {
    const shown = folder;
    const note = problem;
    const choice = await services.ui.pickLive<Choice>({
      title: `${options.title}: ${inert(shown)}`,
      placeholder: 'Choose a folder, or type a path (/var/www, ~/app) and press Enter',
      typedItem: (text) => typedItem(text, options.home),
      load: async (update) => {
        const head: LivePickItem<Choice>[] = [
          ...(note ? [{ label: `$(error) ${inert(note)}`, acceptable: false, value: { kind: 'none' } as const }] : []),
          { label: '$(check) Use This Folder', description: inert(shown), value: { kind: 'use' } },
          ...(shown === '/' ? [] : [{ label: '$(arrow-up) ..', description: inert(posix.dirname(shown)), value: { kind: 'open', path: posix.dirname(shown) } as const }]),
        ];
        update(head);
        try {
          const names = (await remote.readDirectory(shown)).filter(([, kind]) => kind & directoryBit).map(([name]) => name);
          update([...head, ...names.sort(byName).map((name): LivePickItem<Choice> => ({ label: `$(folder) ${inert(name)}`, value: { kind: 'open', path: posix.join(shown, name) } }))]);
        } catch (err) {
          update([...head, { label: `$(error) ${inert(messageOf(err))}`, acceptable: false, value: { kind: 'none' } }]);
        }
      },
    });
    problem = undefined;
    if (!choice || choice.kind === 'none') return undefined;
    if (choice.kind === 'use') return shown;
    if (choice.kind === 'open') {
      folder = choice.path;
      continue;
    }
    try {
      const stat = await remote.stat(choice.path);
      if (stat.type & directoryBit) return choice.path;
      problem = `${choice.path} is a file, not a folder.`;
    } catch (err) {
      problem = messageOf(err);
    }
  }
}

/** A typed path as the pick's first entry: absolute, or from the home folder with `~`. Other text filters the list. */
function typedItem(text: string, home: string): LivePickItem<Choice> | undefined {
  const typed = text.trim();
  let path: string | undefined;
  if (typed.startsWith('/')) path = remotePath(typed);
  else if (typed === '~' || typed.startsWith('~/')) path = remotePath(posix.join(home, typed.slice(1)));
  if (!path) return undefined;
  return { label: `$(go-to-file) ${inert(path)}`, description: 'open this folder', value: { kind: 'typed', path } };
}

/** Folders in name order, hidden ones (.cache, .ssh) after the others. */
function byName(a: string, b: string): number {
  const hidden = Number(a.startsWith('.')) - Number(b.startsWith('.'));
  return hidden || a.localeCompare(b);
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
