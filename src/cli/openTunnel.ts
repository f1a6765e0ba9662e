import { defaultSettings } from '../core/base/settings';
import { stringOption, UsageError, wholeNumberOption } from './args';
import { stderrLogger } from './logger';
import type { CliCommand } from './main';
import { checkedInstanceId, profileAndRegion, withContext } from './ssh';

export const openTunnelUsage = `Usage: ec2ic open-tunnel --instance-id ID [--remote-port 22] [--local-port P]
                         [--max-tunnel-duration S] [--max-websocket-connections 10]
                         [--instance-connect-endpoint-id EICE [--instance-connect-endpoint-dns-name DNS]]
                         [--private-ip-address IP] [--region R] [--profile P]

Opens a WebSocket tunnel through an EC2 Instance Connect Endpoint to a port of a private instance, as
'aws ec2-instance-connect open-tunnel' does (same options). Without --local-port it relays stdin and stdout,
so it works as an OpenSSH ProxyCommand:

  ssh -o ProxyCommand='ec2ic open-tunnel --instance-id i-0123456789abcdef0' ec2-user@i-0123456789abcdef0

With --local-port it listens on 127.0.0.1 and opens a tunnel for each connection it accepts, until Ctrl-C.

  --instance-id ID                   The instance (its private IPv4 address, VPC and subnet are looked up).
  --remote-port N                    22 (SSH) or 3389 (RDP): the ports an endpoint allows. Default: 22.
  --local-port P                     Listen on 127.0.0.1:P (0: a free port, printed on stderr).
  --max-tunnel-duration S            Seconds before the endpoint closes a tunnel (1 to 3600; IAM may lower it).
  --max-websocket-connections N      Tunnels open at once with --local-port. Default: 10 (an endpoint allows 20).
  --instance-connect-endpoint-id E   The endpoint. Default: the one in the instance's subnet, else its VPC.
  --instance-connect-endpoint-dns-name D  Its DNS name (skips looking the endpoint up; needs the id).
  --private-ip-address IP            The address to reach (skips looking the instance up; needs the endpoint id).
  --region R, --profile P, --debug   As for every command.

HTTPS_PROXY, HTTP_PROXY and NO_PROXY apply. No key is pushed: for SSH, authenticate as usual (or use ec2ic ssh).`;

export const openTunnelCommand: CliCommand = {
  name: 'open-tunnel',
  summary: 'Open a tunnel through an EC2 Instance Connect Endpoint (stdin/stdout, or --local-port)',
  usage: openTunnelUsage,
  commandLine: {
    positionals: 0,
    options: {
      'instance-id': { type: 'string' },
      'remote-port': { type: 'string' },
      'local-port': { type: 'string' },
      'max-tunnel-duration': { type: 'string' },
      'max-websocket-connections': { type: 'string' },
      'instance-connect-endpoint-id': { type: 'string' },
      'instance-connect-endpoint-dns-name': { type: 'string' },
      'private-ip-address': { type: 'string' },
    },
  },
  run: async (args, core) => {
    const instanceId = stringOption(args, 'instance-id');
    const privateIp = stringOption(args, 'private-ip-address');
    const endpointId = stringOption(args, 'instance-connect-endpoint-id');
    const dnsName = stringOption(args, 'instance-connect-endpoint-dns-name');
    // AWS CLI v2's rules, in its words.
    if (!instanceId && !privateIp) throw new UsageError('specify an instance id (--instance-id) or a private IP address (--private-ip-address)');
    if (dnsName && !endpointId) throw new UsageError('specify --instance-connect-endpoint-id when giving --instance-connect-endpoint-dns-name');
    if (privateIp && !endpointId) throw new UsageError('specify --instance-connect-endpoint-id when giving --private-ip-address');
    if (instanceId) checkedInstanceId(instanceId);
    const remotePort = wholeNumberOption(args, 'remote-port', 1, 65535, 'a port') ?? 22;
    const localPort = wholeNumberOption(args, 'local-port', 0, 65535, 'a port (0: any free one)');
    const maxTunnelDurationSeconds = wholeNumberOption(args, 'max-tunnel-duration', 1, 3600, 'a whole number of seconds');
    const maxConnections = wholeNumberOption(args, 'max-websocket-connections', 1, 1000) ?? 10;
    if (localPort === undefined && process.stdin.isTTY) {
      throw new UsageError('without --local-port this relays stdin and stdout: run it as a ProxyCommand (ssh -o ProxyCommand=…), or pass --local-port');
    }

    const { region, profile } = await profileAndRegion(args, core);

    const log = stderrLogger(args.options.debug === true);
    const aws = new core.AwsClients({});
    const endpoints = new core.EndpointDirectory(() => aws);
    const context = { operation: 'OpenTunnel', instanceId, region, profile, port: remotePort, endpointId };
    const resolved = await core
      .resolveTunnel(aws, endpoints, { region, profile, instanceId, privateIp, endpointId, dnsName, remotePort, maxTunnelDurationSeconds })
      .catch((err: unknown) => Promise.reject(withContext(err, { ...context, operation: instanceId && !privateIp ? 'DescribeInstances' : 'DescribeInstanceConnectEndpoints' })));
    const open = core.tunnelOpener(aws, resolved, profile, { timeoutSeconds: defaultSettings.connectTimeoutSeconds, log });

    if (localPort === undefined) {
      try {
        await core.relayOneTunnel(open, { input: process.stdin, output: process.stdout });
      } catch (err) {
        throw withContext(err, { ...context, endpointId: resolved.target.endpointId });
      } finally {
        aws.reset();
      }
      return 0;
    }
    const listener = await core.listenForTunnels(open, { port: localPort, maxConnections, log });
    process.stderr.write(`Listening on ${listener.address}: each connection gets a tunnel to ${resolved.who} port ${remotePort} through ${resolved.target.endpointId}. Ctrl-C stops.\n`);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop).once('SIGTERM', stop);
    });
    await listener.close();
    aws.reset();
    return 0;
  },
};
