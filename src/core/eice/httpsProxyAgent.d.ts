// https-proxy-agent is ESM with its types under "exports" alone, which this project's "node" module resolution
// does not read (and a tsconfig `paths` entry would send tsx to the .d.ts at run time): what the tunnel uses.
declare module 'https-proxy-agent' {
  import type { Agent, AgentOptions } from 'node:http';

  /** An agent that reaches an HTTPS (or WSS) host through an HTTP proxy's CONNECT. */
  export class HttpsProxyAgent<Uri extends string = string> extends Agent {
    readonly proxy: URL;
    constructor(proxy: Uri | URL, options?: AgentOptions & { headers?: Record<string, string> });
  }
}
