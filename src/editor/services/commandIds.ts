/**
 * Every command the extension contributes, by the name code uses for it. The ids are spelled here and
 * nowhere else in the code (package.json lists the same ones; a unit test keeps the three in step), so
 * a command that does not exist fails the type check wherever it is run or referenced.
 */
export const commandIds = {
  refresh: 'ec2InstanceConnect.refresh',
  filter: 'ec2InstanceConnect.filter',
  clearFilter: 'ec2InstanceConnect.clearFilter',
  chooseRegions: 'ec2InstanceConnect.chooseRegions',
  chooseProfiles: 'ec2InstanceConnect.chooseProfiles',
  connect: 'ec2InstanceConnect.connect',
  connectSerialConsole: 'ec2InstanceConnect.connectSerialConsole',
  openInRemoteSSH: 'ec2InstanceConnect.openInRemoteSSH',
  startInstance: 'ec2InstanceConnect.startInstance',
  stopInstance: 'ec2InstanceConnect.stopInstance',
  rebootInstance: 'ec2InstanceConnect.rebootInstance',
  copyInstanceId: 'ec2InstanceConnect.copyInstanceId',
  copyIpAddress: 'ec2InstanceConnect.copyIpAddress',
  chooseOsUser: 'ec2InstanceConnect.chooseOsUser',
  chooseConnectionType: 'ec2InstanceConnect.chooseConnectionType',
  createInstanceConnectEndpoint: 'ec2InstanceConnect.createInstanceConnectEndpoint',
  forgetHostKey: 'ec2InstanceConnect.forgetHostKey',
  enableSerialConsoleAccess: 'ec2InstanceConnect.enableSerialConsoleAccess',
  retryRegion: 'ec2InstanceConnect.retryRegion',
  signIn: 'ec2InstanceConnect.signIn',
  showLog: 'ec2InstanceConnect.showLog',
  openAwsConfig: 'ec2InstanceConnect.openAwsConfig',
  forwardPort: 'ec2InstanceConnect.forwardPort',
  openRdpTunnel: 'ec2InstanceConnect.openRdpTunnel',
  stopForward: 'ec2InstanceConnect.stopForward',
  openForwardInBrowser: 'ec2InstanceConnect.openForwardInBrowser',
  copyForwardAddress: 'ec2InstanceConnect.copyForwardAddress',
  restoreForwardOnStartup: 'ec2InstanceConnect.restoreForwardOnStartup',
  showForwards: 'ec2InstanceConnect.showForwards',
  openFolderOnInstance: 'ec2InstanceConnect.openFolderOnInstance',
  download: 'ec2InstanceConnect.download',
  upload: 'ec2InstanceConnect.upload',
  saveAsRoot: 'ec2InstanceConnect.saveAsRoot',
  openTerminalHere: 'ec2InstanceConnect.openTerminalHere',
  findInFolder: 'ec2InstanceConnect.findInFolder',
} as const;

export type CommandName = keyof typeof commandIds;
export type CommandId = (typeof commandIds)[CommandName];

/** The editor's own commands this extension runs. */
export type EditorCommandId = 'workbench.action.openSettings' | 'extension.open' | 'workbench.extensions.search' | 'workbench.view.explorer';

/** The short name of a command ("connect" for ec2InstanceConnect.connect): what failure messages call the operation. */
export function commandName(id: CommandId): CommandName {
  return id.slice('ec2InstanceConnect.'.length) as CommandName;
}
