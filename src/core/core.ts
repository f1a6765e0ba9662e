// Entry of the second bundle (dist/core.js): everything that pulls in the AWS SDK or ssh2.
// The editor layer imports only types from here; values go through loadCore().
export { AwsClients } from './aws/clients';
export { rebootInstance, startInstance, stopInstance, waitUntilRunning } from './aws/instanceActions';
export { describeInstance } from './aws/instances';
export { loadProfiles } from './aws/loadProfiles';
export { describeRegions } from './aws/regions';
export { enableSerialConsoleAccess, serialConsoleAccess } from './aws/serialConsoleAccess';
export { ssoDeviceLogin } from './aws/ssoLogin';
export { ConnectionPool } from './connect/connectionPool';
export { Connector } from './connect/connector';
export { listenForTunnels, relayOneTunnel, resolveTunnel, tunnelOpener } from './connect/openTunnel';
export { runProxy } from './connect/proxy';
export { proxySteps } from './connect/proxySteps';
export { SerialConsoleConnector } from './connect/serialConsole';
export { EndpointDirectory } from './eice/endpointDirectory';
export { createEndpoint, waitForEndpoint } from './eice/endpoints';
export { canSudo, findCommand, parseFindOutput, runOnInstance, writeAsRoot } from './files/instanceCommands';
export { InstanceFiles } from './files/instanceFiles';
export { Forwards, freeLocalPort } from './forward/forwards';
export { parseForwardSpec, parseRemoteSide } from './forward/forwardSpec';
export { createInventoryBackend } from './inventory/backend';
export { handoffBlock, handoffFiles, handoffKeyPair, writeHandoff } from './remote/handoff';
export { hostBlock } from './remote/hostEntry';
export { ensureKeyPair } from './remote/keyPair';
export { currentRuntime } from './remote/proxyCommand';
export { readPublicKeyLine } from './remote/publicKeyLine';
export { ensureInclude } from './remote/sshConfigFile';
export { HostKeyTrust } from './ssh/hostKeys';
export { KeyFactory } from './ssh/keys';
export { forgetSerialHostKey } from './ssh/serialEndpoint';
/** Where this bundle lives (dist/): the CLI bundle beside it is what the handoff copies. */
export const cliBundleDir = __dirname;
