// Entry of the third bundle (dist/proxy.js): what `ec2ic proxy`, the ProxyCommand of every Remote-SSH host entry,
// needs and nothing more. ssh runs it for every connection, and OpenSSH does the SSH protocol itself, so neither
// ssh2 nor the rest of the core is loaded: starting is most of what the proxy costs (bench/proxy.ts).
export { runProxy } from './connect/proxy';
export { proxySteps } from './connect/proxySteps';
export { readPublicKeyLine } from './remote/publicKeyLine';
