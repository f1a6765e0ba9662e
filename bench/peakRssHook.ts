/**
 * Preloaded (node --require) into a process the list benchmark runs as a user would (`ec2ic list --json`):
 * at exit it writes the process's peak RSS, from the kernel, to the file EC2IC_BENCH_PEAK_RSS names.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.EC2IC_BENCH_PEAK_RSS;
if (file) process.on('exit', () => writeFileSync(file, JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 })));
