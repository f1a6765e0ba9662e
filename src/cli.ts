import { loadCore } from './loadCore';

async function main(argv: string[]): Promise<number> {
  const core = loadCore();
  process.stdout.write(`ec2ic (core ${core.coreVersion}) ${argv.join(' ')}\n`);
  return 0;
}

main(process.argv.slice(2)).then((code) => process.exit(code));
