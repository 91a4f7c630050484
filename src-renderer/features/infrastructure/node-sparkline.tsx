import type { NodeSample } from './infrastructure-store';

/**
 * A small line chart of a node's recent CPU (and memory, dashed) use, 0-100 %, from the `cluster.changed`
 * samples the store keeps. Plain SVG: a charting library would cost more of the initial-load budget than two
 * lines are worth. Nothing is drawn before two samples exist.
 */
export function NodeSparkline({ samples, label }: { samples: readonly NodeSample[]; label: string }) {
  if (samples.length < 2) return <span className="muted">collecting…</span>;
  const w = 120;
  const h = 28;
  const t0 = samples[0].at;
  const span = Math.max(1, samples[samples.length - 1].at - t0);
  const line = (pick: (s: NodeSample) => number) =>
    samples.map((s, i) => `${i ? 'L' : 'M'}${(((s.at - t0) / span) * w).toFixed(1)},${(h - Math.min(1, Math.max(0, pick(s))) * h).toFixed(1)}`).join(' ');
  const last = samples[samples.length - 1];
  return (
    <svg className="sparkline" width={w} height={h} viewBox={`0 0 ${w} ${h}`} role="img" aria-label={`${label}: CPU ${Math.round(last.cpu * 100)} %, memory ${Math.round(last.mem * 100)} % (last ${samples.length} readings)`}>
      <path d={line((s) => s.mem)} className="sparkline-mem" />
      <path d={line((s) => s.cpu)} className="sparkline-cpu" />
    </svg>
  );
}
