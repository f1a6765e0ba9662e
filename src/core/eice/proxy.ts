import { getProxyForUrl } from 'proxy-from-env';

/**
 * The HTTP proxy a tunnel to `host` goes through (HTTP CONNECT), or undefined: HTTPS_PROXY, else HTTP_PROXY
 * (AWS CLI v2 takes either), either case, unless NO_PROXY names the host (proxy-from-env's matching: exact
 * names, `.suffix` and `*.suffix`, `host:port`, `*`; and, as AWS CLI v2, curl and Python read it, a bare
 * domain for its subdomains too). `host` may carry a port (a local endpoint server).
 */
export function tunnelProxy(host: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const port = /:(\d+)$/.exec(host)?.[1] ?? '443';
  const name = host.replace(/:\d+$/, '').toLowerCase();
  if (bareDomainBypass(name, env.no_proxy || env.NO_PROXY || '')) return undefined;
  // http://host:443 reads http_proxy yet matches NO_PROXY entries with the tunnel's own port.
  return withEnv(env, () => getProxyForUrl(`https://${name}:${port}/`) || getProxyForUrl(`http://${name}:${port}/`)) || undefined;
}

/** "amazonaws.com" in NO_PROXY covers "eice-….amazonaws.com" (proxy-from-env matches it exactly only). */
function bareDomainBypass(name: string, noProxy: string): boolean {
  return noProxy
    .toLowerCase()
    .split(/[,\s]+/)
    .some((entry) => /^[a-z0-9-]+(?:\.[a-z0-9-]+)+$/.test(entry) && name.endsWith(`.${entry}`));
}

/** proxy-from-env reads process.env alone; another environment stands in for the (synchronous) call. */
function withEnv<T>(env: NodeJS.ProcessEnv, read: () => T): T {
  if (env === process.env) return read();
  const saved = process.env;
  process.env = env;
  try {
    return read();
  } finally {
    process.env = saved;
  }
}

/** "proxy.example.com:3128": how logs and messages name a proxy, without the user name and password its URL may hold. */
export function proxyHost(proxyUrl: string): string {
  try {
    const url = new URL(proxyUrl);
    return url.port ? `${url.hostname}:${url.port}` : url.hostname;
  } catch {
    return 'the proxy';
  }
}
