/** Median, min and max of a series, and the record every benchmark figure is written as. */
export interface Series {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function summarize(values: number[]): Series {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median, min: sorted[0], max: sorted[sorted.length - 1], runs: sorted.length };
}

/** One named figure: ours against a peer measured in the same run. ratio = ours / peer. */
export interface Figure {
  name: string;
  unit: string;
  ours: Series;
  peer?: { name: string } & Series;
  ratio?: number;
  /** Ours / peer round by round, where the two were measured in pairs: the ratio's spread. */
  ratios?: Series;
  /** The spread of the per-run ratios, when ours and the peer ran in pairs (pairedFigure). */
  ratioSpread?: Spread;
  /** What "good" is, in the same unit or as a ratio, and whether it is met. */
  target?: { text: string; met: boolean };
  note?: string;
}

export function figure(name: string, unit: string, ours: number[], peer?: { name: string; values: number[] }): Figure {
  const oursSeries = summarize(ours);
  if (!peer) return { name, unit, ours: oursSeries };
  const peerSeries = summarize(peer.values);
  return {
    name,
    unit,
    ours: oursSeries,
    peer: { name: peer.name, ...peerSeries },
    ratio: peerSeries.median === 0 ? undefined : oursSeries.median / peerSeries.median,
  };
}

export function single(value: number): Series {
  return { median: value, min: value, max: value, runs: 1 };
}

/** The value below which a share `q` (0–1) of the values lie, interpolated between the nearest two. */
export function quantile(values: number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  return sorted[low] + (sorted[Math.min(low + 1, sorted.length - 1)] - sorted[low]) * (at - low);
}

/**
 * A figure from rounds in which ours and the peer ran back to back (one value each per round), with the
 * per-round ratios as its spread, and a target on the ratio that is met only when both the median ratio
 * and the worse quartile of the rounds meet it: a median that meets it over a spread that mostly does not
 * is not a pass. `atLeast`: ≥ bound (throughput); else ≤ bound (latency).
 */
export function pairedFigure(
  name: string,
  unit: string,
  rounds: { ours: number; peer: number }[],
  peerName: string,
  target: { bound: number; atLeast: boolean; text: string },
  values?: { ours: number[]; peer: number[] },
): Figure {
  const f = figure(name, unit, values?.ours ?? rounds.map((r) => r.ours), { name: peerName, values: values?.peer ?? rounds.map((r) => r.peer) });
  const ratios = rounds.map((r) => r.ours / r.peer);
  f.ratios = summarize(ratios);
  const meets = (ratio: number) => (target.atLeast ? ratio >= target.bound : ratio <= target.bound);
  const worseQuartile = quantile(ratios, target.atLeast ? 0.25 : 0.75);
  f.target = { text: target.text, met: meets(f.ratio ?? NaN) && meets(worseQuartile) };
  return f;
}

/** A series with its interquartile range: the spread that judges a target (see atMost). */
export interface Spread extends Series {
  p25: number;
  p75: number;
}

export function spread(values: number[]): Spread {
  return { ...summarize(values), p25: quantile(values, 0.25), p75: quantile(values, 0.75) };
}

/** ours[i] / peer[i]: each run against the peer's run beside it (the two are interleaved, so they saw the same load). */
export function pairedRatios(ours: number[], peer: number[]): number[] {
  if (ours.length !== peer.length) throw new Error(`paired series of different lengths (${ours.length}, ${peer.length})`);
  return ours.map((value, i) => value / peer[i]);
}

/**
 * A figure against a peer whose ratio is taken run by run: `ratio` is the median of the per-run ratios and
 * `ratioSpread` their spread, which a shared machine's load widens without moving the median much.
 */
export function pairedRunsFigure(name: string, unit: string, ours: number[], peer: { name: string; values: number[] }): Figure {
  const ratios = spread(pairedRatios(ours, peer.values));
  return { ...figure(name, unit, ours, peer), ratio: ratios.median, ratioSpread: ratios };
}

/**
 * A "≤ limit" target judged on every run, not on the median alone: met when the median is within it and so
 * is the upper quartile (three runs in four). A median within it with a quarter of the runs beyond is not
 * called met: on this shared machine such a figure flips between runs. `show` writes a value in the target's unit.
 */
export function atMost(values: number[], limit: number, text: string, show: (value: number) => string): { text: string; met: boolean } {
  const s = spread(values);
  const measured = `median ${show(s.median)}, quartiles ${show(s.p25)}–${show(s.p75)} (n=${s.runs})`;
  if (s.median > limit) return { text: `${text}; missed: ${measured}`, met: false };
  if (s.p75 > limit) return { text: `${text}; not shown: ${measured}, a quarter of the runs or more beyond it`, met: false };
  return { text: `${text}; ${measured}`, met: true };
}
