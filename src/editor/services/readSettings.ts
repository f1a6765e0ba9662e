import * as vscode from 'vscode';

import { type ConnectionType, connectionTypeOf, connectionTypes, defaultSettings, type PrivateAddressPolicy, type Settings } from '../../core/base/settings';
import { type FileSettings, parseFileSettings } from './fileSettings';
import { type ForwardSettings, parseForwardSettings } from './forwardSettings';

/** Reads the `ec2InstanceConnect.*` settings into the core's plain Settings. */
export function readSettings(): Settings {
  const c = vscode.workspace.getConfiguration('ec2InstanceConnect');
  const d = defaultSettings;
  return {
    profiles: c.get('profiles', d.profiles),
    regions: c.get('regions', d.regions),
    alwaysShowProfiles: c.get('alwaysShowProfiles', d.alwaysShowProfiles),
    alwaysShowRegions: c.get('alwaysShowRegions', d.alwaysShowRegions),
    endpoint: c.get('endpoint', d.endpoint).trim(),
    connectionType: connectionType(c),
    port: c.get('port', d.port),
    keyType: c.get('keyType', d.keyType),
    connectTimeoutSeconds: c.get('connectTimeout', d.connectTimeoutSeconds),
    keepaliveIntervalSeconds: c.get('keepaliveInterval', d.keepaliveIntervalSeconds),
    autoRefreshIntervalSeconds: c.get('autoRefreshInterval', d.autoRefreshIntervalSeconds),
    serialConsole: {
      endpoint: c.get('serialConsole.endpoint', d.serialConsole.endpoint).trim(),
      port: c.get('serialConsole.port', d.serialConsole.port),
      fingerprint: c.get('serialConsole.fingerprint', d.serialConsole.fingerprint).trim(),
    },
    remoteSSH: {
      openInNewWindow: c.get('remoteSSH.openInNewWindow', d.remoteSSH.openInNewWindow),
      configFile: vscode.workspace.getConfiguration('remote.SSH').get<string>('configFile', '').trim(),
    },
  };
}

/**
 * `connectionType` where it is set (user, workspace or folder); else what the old `usePrivateAddress` meant,
 * so that a setting made before it keeps working.
 */
function connectionType(c: vscode.WorkspaceConfiguration): ConnectionType {
  const set = c.inspect<string>('connectionType');
  const value = set?.workspaceFolderValue ?? set?.workspaceValue ?? set?.globalValue;
  const known = connectionTypes.find((type) => type === value);
  if (known) return known;
  const legacy = c.get<PrivateAddressPolicy>('usePrivateAddress');
  return legacy ? connectionTypeOf(legacy) : defaultSettings.connectionType;
}

/** Reads `ec2InstanceConnect.forwardBindAddress` and `ec2InstanceConnect.restoreForwards`. */
export function readForwardSettings(): ForwardSettings {
  const c = vscode.workspace.getConfiguration('ec2InstanceConnect');
  return parseForwardSettings({ bindAddress: c.get<unknown>('forwardBindAddress'), restoreForwards: c.get<unknown>('restoreForwards') });
}

/** Reads `ec2InstanceConnect.files.*`. */
export function readFileSettings(): FileSettings {
  const c = vscode.workspace.getConfiguration('ec2InstanceConnect.files');
  return parseFileSettings({ pollIntervalSeconds: c.get<unknown>('pollIntervalSeconds'), openIn: c.get<unknown>('openIn') });
}
