/** Where Open Folder on Instance… puts the folder: this window's workspace, or a new window. */
export type OpenFolderIn = 'workspace' | 'newWindow';

/** The settings of an instance's files, read apart from the core's Settings: only the editor shows files. */
export interface FileSettings {
  /** Seconds between looks at the open files and listed folders of an instance, while the window has focus. */
  pollIntervalSeconds: number;
  openIn: OpenFolderIn;
}

export const defaultFileSettings: FileSettings = { pollIntervalSeconds: 3, openIn: 'workspace' };

/** The settings as read (anything a user can write in settings.json), checked: what is not understood is the default. */
export function parseFileSettings(raw: { pollIntervalSeconds?: unknown; openIn?: unknown }): FileSettings {
  const seconds = raw.pollIntervalSeconds;
  return {
    pollIntervalSeconds: typeof seconds === 'number' && Number.isFinite(seconds) && seconds >= 1 ? seconds : defaultFileSettings.pollIntervalSeconds,
    openIn: raw.openIn === 'newWindow' ? 'newWindow' : 'workspace',
  };
}
