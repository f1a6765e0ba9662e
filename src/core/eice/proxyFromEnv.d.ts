// proxy-from-env ships no types: the one function the tunnel uses.
declare module 'proxy-from-env' {
  /** The proxy URL for `url` from HTTP(S)_PROXY, ALL_PROXY and NO_PROXY (either case) in process.env, or ''. */
  export function getProxyForUrl(url: string | URL): string;
}
