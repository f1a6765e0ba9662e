// The esbuild options every Node bundle shares: the product's (scripts/build.mjs) and the benchmarks' probes,
// so that a probe loads the SDK exactly as dist/core.js does.
import { readFile } from 'node:fs/promises';

/**
 * The entry bundles reach the core through `require('./core.js')` (and `./proxy.js`) at run time (src/core/load.ts),
 * and dist/extension.js the commands through `require('./commands.js')` (src/editor/loadCommands.ts).
 */
export const coreIsExternal = {
  name: 'core-is-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/(?:core|proxy|commands)\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

/**
 * The SDK's schema files with their computed keys written as the strings they are: `{ [_xN]: _TSa }`
 * becomes `{ "xmlName": _TSa }` where the file declares `const _xN = "xmlName";`. esbuild cannot tell that a
 * computed key has no side effect, so a single one kept every schema of the file: all of EC2's shapes
 * (540 KB of the bundle, and most of what requiring it cost) for the dozen operations the product calls.
 * With literal keys, the schemas no operation reaches are dropped. A key whose name the file does not declare
 * as a string is left as it is.
 */
export function literalSchemaKeys(text) {
  const strings = new Map();
  for (const match of text.matchAll(/^const (_\w+) = ("[^"\\\n]*");$/gm)) strings.set(match[1], match[2]);
  return text.replace(/([{,]\s*)\[(_\w+)\]: /g, (all, before, name) => (strings.has(name) ? `${before}${strings.get(name)}: ` : all));
}

const sdkSchemas = {
  name: 'sdk-schemas-with-literal-keys',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/].+[\\/]dist-es[\\/](?:.+[\\/])?schemas[\\/]schemas_\d+\.js$/ }, async (args) => ({
      contents: literalSchemaKeys(await readFile(args.path, 'utf8')),
      loader: 'js',
    }));
  },
};

/**
 * How the AWS SDK is bundled: from its ES module builds (package.json `module`, dist-es/), which esbuild can
 * tree-shake to the commands the product imports, rather than its CommonJS builds (`main`, dist-cjs/: one file
 * per package holding every command and shape). For the SDK and ssh2 together, requiring dist/core.js went
 * from ~100 MB and ~210 ms to ~20 MB (bench/firstUse.ts). Packages with an `exports` map resolve through it
 * as before; only the SDK's packages change files.
 */
export const sdkBundling = { mainFields: ['module', 'main'], plugins: [sdkSchemas] };

export const nodeBundle = {
  bundle: true,
  format: 'cjs',
  platform: 'node',
  // Node.js 20: the oldest extension host engines.vscode allows (VS Code 1.90), and what ec2ic asks for.
  target: 'node20',
  // ssh2's optional native speed-ups: it falls back to pure JS when they are missing.
  external: ['vscode', 'cpu-features', '*.node'],
  // The SDK's `await import('node:http')` becomes a require(): a bundle then runs as well through vm.Script
  // (src/core/codeCache.ts), which has no loader for import() in the Node versions the editors ship.
  supported: { 'dynamic-import': false },
  ...sdkBundling,
  plugins: [coreIsExternal, ...sdkBundling.plugins],
};
