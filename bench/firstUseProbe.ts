/**
 * Run in a fresh Node process by bench/firstUse.ts: requires the file named by argv[2] (nothing when it is
 * absent: bare node) and prints JSON with the time it took and what it added to the process's memory. With
 * argv[3] `cached`, it is required as loadCore() requires dist/core.js (through V8's code cache beside it,
 * written by the first such run), else with plain require().
 */
import { requireWithCodeCache } from '../src/core/codeCache';

const rssBefore = process.memoryUsage.rss();
const cpuBefore = process.cpuUsage();
const started = performance.now();
const file = process.argv[2];
let saveCache = () => {};
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the bundle before loadCore() used the code cache
if (file && process.argv[3] !== 'cached') require(file);
if (file && process.argv[3] === 'cached') saveCache = requireWithCodeCache(file).saveCache;
const ms = performance.now() - started;
// After the measurement, as loadCore() writes it after the first use: only the first run has none to read.
saveCache();
const cpu = process.cpuUsage(cpuBefore);
const mb = (bytes: number) => bytes / 2 ** 20;
process.stdout.write(
  JSON.stringify({
    ms,
    cpuMs: (cpu.user + cpu.system) / 1000,
    rssBeforeMb: mb(rssBefore),
    rssMb: mb(process.memoryUsage.rss()),
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    heapUsedMb: mb(process.memoryUsage().heapUsed),
  }),
);
