/** What `npm run bench` writes: bench/results.json (the figures and where they were measured) and bench/RESULTS.md (a table). */
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, totalmem } from 'node:os';

import type { Figure, Series } from './stats';

export interface Machine {
  cpu: string;
  cores: number;
  ramGB: number;
  node: string;
  platform: string;
  /** 1-minute load average when the run started and ended: the machine is shared. */
  loadAverage: { start: number; end?: number };
}

export interface Results {
  date: string;
  commit: string;
  machine: Machine;
  durationSeconds?: number;
  figures: Figure[];
}

export function describeMachine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? 'unknown',
    cores: cpus().length,
    ramGB: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    platform: `${process.platform} ${process.arch}`,
    loadAverage: { start: loadavg()[0] },
  };
}

/** The commit measured, marked when the work tree had changes. */
export function currentCommit(cwd: string): string {
  const git = (...args: string[]) => execFileSync('git', args, { cwd, encoding: 'utf8' }).trim();
  try {
    return `${git('rev-parse', '--short', 'HEAD')}${git('status', '--porcelain', '--untracked-files=no') ? ' (with uncommitted changes)' : ''}`;
  } catch {
    return 'unknown';
  }
}

function number(value: number): string {
  const abs = Math.abs(value);
  return abs >= 100 ? value.toFixed(0) : abs >= 10 ? value.toFixed(1) : abs >= 1 ? value.toFixed(2) : value.toFixed(3);
}

function series(s: Series, unit: string): string {
  return s.runs > 1 ? `${number(s.median)} ${unit} (${number(s.min)}–${number(s.max)}, n=${s.runs})` : `${number(s.median)} ${unit}`;
}

/** The ratio of the medians, with the per-round ratios' range where the rounds were paired. */
function ratio(f: Figure): string {
  if (f.ratio === undefined) return '—';
  return f.ratios && f.ratios.runs > 1 ? `${number(f.ratio)}× (${number(f.ratios.min)}–${number(f.ratios.max)})` : `${number(f.ratio)}×`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The ratio, with the quartiles of the per-run ratios (pairedRunsFigure) or the per-round range (pairedFigure). */
function ratioCell(f: Figure): string {
  if (f.ratio === undefined) return '—';
  if (f.ratioSpread) return `${number(f.ratio)}× (quartiles ${number(f.ratioSpread.p25)}–${number(f.ratioSpread.p75)})`;
  return ratio(f);
}

/** The table README.md's Performance section shows: one row per figure, ours against the peer, with the target. */
export function resultsTable(figures: Figure[]): string {
  const rows = figures.map((f) => {
    const target = f.target ? `${f.target.met ? '✅' : '❌'} ${f.target.text}` : '';
    return `| ${cell(f.name)} | ${cell(series(f.ours, f.unit))} | ${f.peer ? cell(`${f.peer.name}: ${series(f.peer, f.unit)}`) : '—'} | ${ratioCell(f)} | ${cell(target)} |`;
  });
  return ['| figure | ours: median (min–max, runs) | peer, same run | ratio (ours / peer; per-run quartiles, or per-round min–max) | target |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}

export function resultsMarkdown(results: Results): string {
  const { machine } = results;
  const load = `${number(machine.loadAverage.start)}${machine.loadAverage.end === undefined ? '' : ` → ${number(machine.loadAverage.end)}`}`;
  const notes = results.figures.filter((f) => f.note).map((f) => `- **${f.name}**: ${f.note}`);
  return [
    '# Benchmark results',
    '',
    `Measured by \`npm run bench\` on ${results.date.slice(0, 10)} at commit ${results.commit}${results.durationSeconds ? ` (the run took ${Math.round(results.durationSeconds)} s)` : ''}.`,
    `Machine: ${machine.cpu}, ${machine.cores} cores, ${machine.ramGB} GB RAM, Node ${machine.node} (${machine.platform}); 1-minute load average ${load} (a shared machine: ours and the peers' runs are interleaved so that both see the same load).`,
    '',
    resultsTable(results.figures),
    '',
    '## Notes',
    '',
    ...notes,
    '',
  ].join('\n');
}

const readmeStart = '<!-- bench:start (npm run bench writes this table) -->';
const readmeEnd = '<!-- bench:end -->';

/** README.md with its Performance table replaced by this run's; unchanged when the markers are missing. */
export function withResultsTable(readme: string, results: Results): string {
  const start = readme.indexOf(readmeStart);
  const end = readme.indexOf(readmeEnd);
  if (start === -1 || end < start) return readme;
  const { machine } = results;
  const body = [
    `Measured on ${results.date.slice(0, 10)} (commit ${results.commit}) on ${machine.cpu}, ${machine.cores} cores, ${machine.ramGB} GB RAM, Node ${machine.node}; medians with min–max.`,
    '',
    resultsTable(results.figures),
  ].join('\n');
  return `${readme.slice(0, start + readmeStart.length)}\n${body}\n${readme.slice(end)}`;
}
