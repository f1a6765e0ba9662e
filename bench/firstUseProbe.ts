/**
 * Run in a fresh Node process by bench/firstUse.ts: requires the file named by argv[2] (nothing when it is
 * absent: bare node) and prints JSON with the time it took and what it added to the process's memory.
 */
const rssBefore = process.memoryUsage.rss();
const cpuBefore = process.cpuUsage();
const started = performance.now();
// eslint-disable-next-line @typescript-eslint/no-require-imports -- what loadCore() does on first use, timed
if (process.argv[2]) require(process.argv[2]);
const ms = performance.now() - started;
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
