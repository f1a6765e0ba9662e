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
