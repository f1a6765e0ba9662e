// engines.vscode names the oldest VS Code whose extension host runs what the bundles need: the Node.js of that
// VS Code must satisfy every runtime dependency's engines.node (the AWS SDK's is >= 20). The README says the
// same version, and @types/vscode is no newer (vsce refuses to package otherwise).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';

const root = join(__dirname, '..', '..');
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { engines: { vscode: string; node: string }; devDependencies: Record<string, string> };
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string; dev?: boolean; devOptional?: boolean; engines?: { node?: string } }>;
};

/**
 * The Node.js of each VS Code release's extension host (its Electron's), from the first release of each minor
 * version (github.com/ewanharris/vscode-versions, from VS Code's release notes). Add the newer ones when
 * engines.vscode moves past the end of the table.
 */
const extensionHostNode: Record<string, string> = {
  '1.85': '18.15.0',
  '1.86': '18.17.1',
  '1.87': '18.17.1',
  '1.88': '18.18.2',
  '1.89': '18.18.2',
  '1.90': '20.9.0',
  '1.91': '20.9.0',
  '1.92': '20.14.0',
  '1.93': '20.15.1',
  '1.94': '20.16.0',
  '1.95': '20.18.0',
  '1.96': '20.18.1',
  '1.97': '20.18.1',
  '1.98': '20.18.2',
  '1.99': '20.18.3',
  '1.100': '20.19.0',
  '1.101': '22.15.1',
};

type Version = [number, number, number];

function version(text: string): Version {
  const match = /^v?(\d+)(?:\.(\d+))?(?:\.(\d+))?$/.exec(text.trim());
  if (!match) throw new Error(`not a version: ${JSON.stringify(text)}`);
  return [Number(match[1]), Number(match[2] ?? 0), Number(match[3] ?? 0)];
}

const compare = (a: Version, b: Version) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2];

/**
 * Whether `node` satisfies an npm range of the forms found in engines fields: `||` of space-separated
 * comparators (>=, >, <=, <, =, ^, ~, a bare version). Another form fails the test, to be taught here.
 */
function satisfies(node: string, range: string): boolean {
  const v = version(node);
  return range.split('||').some((set) =>
    set
      .trim()
      .replace(/([<>=^~]+)\s+/g, '$1')
      .split(/\s+/)
      .every((comparator) => {
        const match = /^(>=|<=|>|<|=|\^|~)?(.+)$/.exec(comparator);
        if (!match) throw new Error(`an engines range this check cannot read: ${JSON.stringify(range)}`);
        const bound = version(match[2]);
        const c = compare(v, bound);
        switch (match[1]) {
          case '>=':
            return c >= 0;
          case '>':
            return c > 0;
          case '<=':
            return c <= 0;
          case '<':
            return c < 0;
          case '^':
            return c >= 0 && v[0] === bound[0];
          case '~':
            return c >= 0 && v[0] === bound[0] && v[1] === bound[1];
          default:
            return c === 0;
        }
      }),
  );
}

const oldest = /^\^(\d+\.\d+)\.\d+$/.exec(manifest.engines.vscode)?.[1];

test('the range reader reads the forms engines fields use', () => {
  assert.ok(satisfies('20.9.0', '>=20.0.0'));
  assert.ok(satisfies('20.9.0', '>= 20'));
  assert.ok(!satisfies('18.18.2', '>=20.0.0'));
  assert.ok(satisfies('18.18.2', '^14.17.0 || ^16.13.0 || >=18.0.0'));
  assert.ok(!satisfies('20.9.0', '>=18 <20'));
  assert.ok(satisfies('20.9.0', '^20.9.0'));
  assert.throws(() => satisfies('20.9.0', 'latest'));
});

test('engines.vscode is a caret range on the oldest supported VS Code, which the table knows', () => {
  assert.ok(oldest, `engines.vscode should read ^1.NN.0, not ${manifest.engines.vscode}`);
  assert.ok(extensionHostNode[oldest], `add VS Code ${oldest}'s extension host Node.js to the table in this test`);
});

test("the oldest supported VS Code's extension host runs every runtime dependency (the AWS SDK needs Node.js 20)", () => {
  const node = extensionHostNode[oldest ?? ''];
  const refused = Object.entries(lock.packages)
    .filter(([path, p]) => path.startsWith('node_modules/') && !p.dev && !p.devOptional && p.engines?.node)
    .filter(([, p]) => !satisfies(node, p.engines?.node ?? ''))
    .map(([path, p]) => `${path.replace(/^.*node_modules\//, '')} (engines.node ${p.engines?.node})`);
  assert.deepEqual(refused, [], `VS Code ${oldest} runs extensions on Node.js ${node}, which these packages do not support: raise engines.vscode`);
  // Nothing older is claimed either: the VS Code before it runs a Node.js that some dependency refuses.
  const before = Object.keys(extensionHostNode).filter((v) => compare(version(v), version(oldest ?? '0')) < 0).pop();
  if (before) {
    const older = extensionHostNode[before];
    const wouldRun = Object.entries(lock.packages).every(([path, p]) => !path.startsWith('node_modules/') || p.dev || p.devOptional || !p.engines?.node || satisfies(older, p.engines.node));
    assert.ok(!wouldRun, `VS Code ${before} (Node.js ${older}) would run every dependency too: engines.vscode could be ^${before}.0`);
  }
});

test("engines.node (ec2ic's own runtime) asks for no less than the dependencies do", () => {
  const least = version(/^>=\s*(\S+)$/.exec(manifest.engines.node)?.[1] ?? '');
  for (const [path, p] of Object.entries(lock.packages)) {
    if (!path.startsWith('node_modules/') || p.dev || p.devOptional || !p.engines?.node) continue;
    assert.ok(satisfies(least.join('.'), p.engines.node), `${path}: engines.node ${p.engines.node} is not met by ${manifest.engines.node}`);
  }
});

test('@types/vscode is no newer than engines.vscode', () => {
  const types = lock.packages['node_modules/@types/vscode']?.version ?? '';
  assert.ok(compare(version(types), version(oldest ?? '')) <= 0, `@types/vscode ${types} is newer than VS Code ${oldest}`);
  assert.ok(!/^[\^~>]/.test(manifest.devDependencies['@types/vscode']), '@types/vscode is pinned, so that an install cannot pick a newer one');
});

test('README says which VS Code versions are supported, the same as engines.vscode', () => {
  const readme = readFileSync(join(root, 'README.md'), 'utf8');
  const said = [...readme.matchAll(/VS Code (\d+\.\d+) or later/g)].map((m) => m[1]);
  assert.ok(said.length > 0, 'README.md should say "VS Code 1.NN or later"');
  assert.deepEqual([...new Set(said)], [oldest]);
});
