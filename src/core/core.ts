// Entry of the second bundle (dist/core.js): everything that pulls in the AWS SDK or ssh2.
// The editor layer imports only types from here; values go through loadCore().
export { AwsClients } from './aws/clients';
export { createInventoryBackend } from './inventory/backend';
export { rebootInstance, startInstance, stopInstance, waitUntilRunning } from './aws/instanceActions';
export { describeInstance, describeInstancesById, listInstances, toEc2Instance } from './aws/instances';
export { listEverywhere } from './inventory/listing';
export { loadProfiles } from './aws/loadProfiles';
export { describeRegions } from './aws/regions';
export { describeImage } from './aws/images';
export { pushSerialConsolePublicKey, pushSshPublicKey } from './aws/pushKey';
export { SerialConsoleConnector } from './connect/serialConsole';
export { enableSerialConsoleAccess, serialConsoleAccess } from './aws/serialConsoleAccess';
export { Connector } from './connect/connector';
export { HostKeyTrust, presentedHostKey } from './ssh/hostKeys';
export { KeyFactory } from './ssh/keys';
export { openSshConnection } from './ssh/session';
export { ssoDeviceLogin } from './aws/ssoLogin';
export { currentRuntime } from './remote/proxyCommand';
export { handoffBlock, handoffFiles, handoffKeyPair, readPublicKeyLine, writeHandoff } from './remote/handoff';
export { hostBlock } from './remote/hostEntry';
export { ensureKeyPair } from './remote/keyPair';
export { runProxy } from './connect/proxy';
export { proxySteps } from './connect/proxySteps';
export { ensureInclude } from './remote/sshConfigFile';
/** Where this bundle lives (dist/): the CLI bundle beside it is what the handoff copies. */
export const cliBundleDir = __dirname;
