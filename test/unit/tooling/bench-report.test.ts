/** The bench line format: checkable targets are judged, misses are marked and summed up in the runner's last line. */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { benchResults, meetsTarget, parseTarget, reportBench, summaryLine } from '../../bench/bench-report';

afterEach(() => vi.restoreAllMocks());

describe('bench targets', () => {
  it('parses comparisons and leaves prose targets unjudged', () => {
    expect(parseTarget('< 300 ms')).toEqual({ op: '<', limit: 300, unit: 'ms' });
    expect(parseTarget('<=0.2')).toEqual({ op: '<=', limit: 0.2, unit: null });
    expect(parseTarget('> 1e3 ops/s')).toEqual({ op: '>', limit: 1000, unit: 'ops/s' });
    expect(parseTarget('baseline, slower than ports.allocate')).toBeNull();
    expect(meetsTarget(1, 'ms', 'baseline')).toBeNull();
  });

  it('judges values, converting time units', () => {
    expect(meetsTarget(0.235, 'ms/pair', '< 0.2 ms')).toBe(false);
    expect(meetsTarget(0.15, 'ms/pair', '< 0.2 ms')).toBe(true);
    expect(meetsTarget(336, 'ms', '< 300 ms')).toBe(false);
    expect(meetsTarget(0.15, 'ms', '< 200 us')).toBe(true);
    expect(meetsTarget(2.5, 's', '< 3000 ms')).toBe(true);
    expect(meetsTarget(300, 'ms', '<= 300 ms')).toBe(true);
    expect(meetsTarget(900, 'ops/s', '> 1000 ops/s')).toBe(false);
  });

  it('marks a missed target on its line and lists every miss in the summary', () => {
    const lines: string[] = [];
    vi.spyOn(console, 'log').mockImplementation((line: string) => void lines.push(line));
    const before = benchResults().length;
    reportBench('ports.allocate', 0.235, 'ms/pair', '< 0.2 ms');
    reportBench('ports.release', 0.1, 'ms/pair', '< 0.2 ms');
    reportBench('ports.allocate.baseline', 3, 'ms/pair', 'baseline, slower than ports.allocate');
    reportBench('lab-api-container-start-dhcp', 336, 'ms', '< 300 ms');
    expect(lines).toEqual([
      'bench: ports.allocate 0.235 ms/pair (target < 0.2 ms) MISSED',
      'bench: ports.release 0.100 ms/pair (target < 0.2 ms)',
      'bench: ports.allocate.baseline 3.00 ms/pair (target baseline, slower than ports.allocate)',
      'bench: lab-api-container-start-dhcp 336 ms (target < 300 ms) MISSED',
    ]);
    const mine = benchResults().slice(before);
    expect(summaryLine(mine)).toBe(
      'bench: MISSED 2 of 3 targets: ports.allocate 0.235 ms/pair (target < 0.2 ms); lab-api-container-start-dhcp 336 ms (target < 300 ms)',
    );
    expect(summaryLine(mine.filter((r) => r.met !== false))).toBe('bench: all 1 target met');
  });
});
