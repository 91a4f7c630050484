// Collects a remote command's stdout and stderr under one byte cap, and streams complete lines to a callback.
import { StringDecoder } from 'node:string_decoder';

export type OutputStream = 'stdout' | 'stderr';

/** Receives each complete line (without its `\n`, and without a trailing `\r`) as it arrives. */
export type LineListener = (line: string, stream: OutputStream) => void;

/** What was kept of a command's output. */
export interface CollectedOutput {
  stdout: Buffer;
  stderr: Buffer;
  /** true when output beyond the cap was dropped (the command itself was not stopped) */
  truncated: boolean;
  /** bytes received in total, kept or not */
  totalBytes: number;
}

/**
 * Keeps at most `maxBytes` bytes of stdout + stderr together (the first ones, in arrival order); later bytes
 * are counted and dropped, and `truncated` is set. Lines are reported only from kept bytes, so a runaway
 * command cannot flood the progress log either. Lines are decoded as UTF-8 (invalid bytes become U+FFFD in
 * the callback only; the kept Buffers are byte-exact).
 */
export class OutputCollector {
  private readonly chunks: Record<OutputStream, Buffer[]> = { stdout: [], stderr: [] };
  private readonly decoders: Record<OutputStream, StringDecoder> = { stdout: new StringDecoder('utf8'), stderr: new StringDecoder('utf8') };
  private readonly partial: Record<OutputStream, string> = { stdout: '', stderr: '' };
  private kept = 0;
  private total = 0;
  private truncated = false;

  constructor(private readonly maxBytes: number, private readonly onLine?: LineListener) {
    if (!Number.isInteger(maxBytes) || maxBytes < 0) throw new RangeError(`maxBytes must be an integer >= 0, got ${maxBytes}`);
  }

  push(stream: OutputStream, data: Buffer): void {
    this.total += data.length;
    const room = this.maxBytes - this.kept;
    let keep = data;
    if (data.length > room) {
      this.truncated = true;
      keep = data.subarray(0, Math.max(0, room));
    }
    if (keep.length === 0) return;
    this.kept += keep.length;
    this.chunks[stream].push(keep);
    if (this.onLine) this.emitLines(stream, this.decoders[stream].write(keep));
  }

  /** Flushes a last unterminated line per stream and returns what was kept. */
  finish(): CollectedOutput {
    for (const s of ['stdout', 'stderr'] as const) {
      if (!this.onLine) continue;
      const rest = this.partial[s] + this.decoders[s].end();
      this.partial[s] = '';
      if (rest.length > 0) this.onLine(stripCr(rest), s);
    }
    return this.snapshot();
  }

  /** What was kept so far (for error details of a command that did not finish). */
  snapshot(): CollectedOutput {
    return {
      stdout: Buffer.concat(this.chunks.stdout),
      stderr: Buffer.concat(this.chunks.stderr),
      truncated: this.truncated,
      totalBytes: this.total,
    };
  }

  private emitLines(stream: OutputStream, text: string): void {
    const parts = (this.partial[stream] + text).split('\n');
    this.partial[stream] = parts.pop()!;
    for (const line of parts) this.onLine!(stripCr(line), stream);
  }
}

function stripCr(line: string): string {
  return line.endsWith('\r') ? line.slice(0, -1) : line;
}
