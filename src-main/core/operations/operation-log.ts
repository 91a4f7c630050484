import { OPERATION_LOG_LIMIT, type OperationLogLine } from '../../../src-shared/contract/schemas';

/** Longest log line kept, in characters; longer lines are cut and marked with an ellipsis. */
export const OPERATION_LOG_LINE_MAX = 4000;

/**
 * The bounded backlog of one operation's log: the newest `limit` lines (default OPERATION_LOG_LIMIT) plus a
 * count of the older lines that were dropped. Sequence numbers keep counting across drops, so a reader can tell
 * which lines it already has.
 */
export class OperationLog {
  private lines: OperationLogLine[];
  private droppedCount: number;

  constructor(initial: { lines?: OperationLogLine[]; dropped?: number } = {}, private readonly limit = OPERATION_LOG_LIMIT) {
    this.lines = [...(initial.lines ?? [])].slice(-limit);
    this.droppedCount = (initial.dropped ?? 0) + Math.max(0, (initial.lines?.length ?? 0) - limit);
  }

  /** Appends one line (split on newlines by the caller if needed); returns the stored line. */
  append(text: string, step: string | null, at: string): OperationLogLine {
    const clean = text.length > OPERATION_LOG_LINE_MAX ? `${text.slice(0, OPERATION_LOG_LINE_MAX - 1)}…` : text;
    const line: OperationLogLine = { seq: this.droppedCount + this.lines.length, at, step, text: clean };
    this.lines.push(line);
    if (this.lines.length > this.limit) {
      this.lines.shift();
      this.droppedCount++;
    }
    return line;
  }

  snapshot(): { log: OperationLogLine[]; logDropped: number } {
    return { log: [...this.lines], logDropped: this.droppedCount };
  }
}
