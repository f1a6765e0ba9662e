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
