// The bundle activate() loads (dist/extension.js) must stay free of the AWS SDK and ssh2: they are what
// dist/core.js is for, required on first use (src/core/load.ts), so that activation stays in milliseconds.

/** Packages that must not be in the activation bundle. */
export const heavyPackages = ['@aws-sdk', '@smithy', '@aws-crypto', 'ssh2', 'sshpk', 'cpu-features', 'bcrypt-pbkdf', 'tweetnacl', 'asn1'];

const packageOf = (path) => /(?:^|\/)node_modules\/((?:@[^/]+\/)?[^/]+)\//.exec(path)?.[1];
const isHeavy = (pkg) => heavyPackages.some((name) => pkg === name || pkg.startsWith(`${name}/`));

/**
 * What is wrong with an esbuild metafile of the activation bundle: each heavy package that a source file of
 * ours imports, as "package (imported by file)", and any heavy package that got in some other way. Empty
 * when the bundle is clean.
 */
export function activationBundleProblems(metafile) {
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
