/** The one line format every bench prints, so results can be grepped and compared across runs. */
export function reportBench(name: string, value: number, unit: string, target: string): void {
  const shown = value >= 100 ? value.toFixed(0) : value >= 1 ? value.toFixed(2) : value.toPrecision(3);
  console.log(`bench: ${name} ${shown} ${unit} (target ${target})`);
}

/** Milliseconds spent in `fn`, measured with the monotonic clock. */
export function timeMs(fn: () => void): number {
  const start = process.hrtime.bigint();
  fn();
  return Number(process.hrtime.bigint() - start) / 1e6;
}
