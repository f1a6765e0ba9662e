// The bundle activate() loads (dist/extension.js) must stay free of the AWS SDK and ssh2: they are what
// dist/core.js is for, required on first use (src/core/load.ts), so that activation stays in milliseconds.

/** Packages that must not be in the activation bundle. */
export const heavyPackages = ['@aws-sdk', '@smithy', '@aws-crypto', 'ssh2', 'sshpk', 'cpu-features', 'bcrypt-pbkdf', 'tweetnacl', 'asn1'];

const packageOf = (path) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];

/** What dist/proxy.js (`ec2ic proxy`) must not contain: ssh2 and what only it uses (OpenSSH does the SSH protocol). */
export const notInProxyBundle = ['ssh2', 'sshpk', 'cpu-features', 'bcrypt-pbkdf', 'tweetnacl', 'asn1'];

/**
 * What is wrong with an esbuild metafile of the activation bundle (or another, with its own list of packages
 * it must not hold): each such package that a source file of ours imports, as "package (imported by file)",
 * and any that got in some other way. Empty when the bundle is clean.
 */
export function activationBundleProblems(metafile, packages = heavyPackages) {
  const isHeavy = (pkg) => packages.some((name) => pkg === name || pkg.startsWith(`${name}/`));
  const problems = [];
  const explained = new Set();
  for (const [file, input] of Object.entries(metafile.inputs)) {
    if (packageOf(file)) continue;
    for (const { path } of input.imports ?? []) {
      const pkg = packageOf(path);
      if (pkg && isHeavy(pkg)) {
        problems.push(`${pkg} (imported by ${file})`);
        explained.add(pkg);
      }
    }
  }
  const others = new Set(Object.keys(metafile.inputs).map(packageOf).filter((pkg) => pkg && isHeavy(pkg)));
  if (problems.length === 0 && others.size) problems.push(`${[...others].join(', ')} (through another package)`);
  return problems;
}

/**
 * Our folders whose code runs only once a command does: they belong in dist/commands.js, and in the activation
 * bundle they would only make activate() slower (bench/activation.ts: ≤ 100 KB, ≤ 20 ms).
 */
export const commandsOnlySources = ['src/editor/commands/', 'src/editor/actions/', 'src/editor/failures/', 'src/editor/terminal/', 'src/editor/commands.ts'];

/** The source files of ours in the metafile that lie under one of `prefixes`. */
export function sourcesUnder(metafile, prefixes) {
  return Object.keys(metafile.inputs).filter((file) => !packageOf(file) && prefixes.some((prefix) => file.startsWith(prefix)));
}
