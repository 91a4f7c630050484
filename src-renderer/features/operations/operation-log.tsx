import { useEffect, useRef } from 'react';
import type { Operation } from '../../../src-shared/contract/schemas';

/** The operation's log, following new lines while the operator is at the bottom (reading older lines stays put). */
export function OperationLog({ op }: { op: Operation }) {
  const ref = useRef<HTMLPreElement>(null);
  const atBottom = useRef(true);
  useEffect(() => {
    const el = ref.current;
    if (el && atBottom.current) el.scrollTop = el.scrollHeight;
  }, [op.log.length]);
  return (
    <pre
      ref={ref}
      className="log"
      tabIndex={0}
      aria-label={`${op.title} log`}
      data-testid="operation-log"
      onScroll={(e) => {
        const el = e.currentTarget;
        atBottom.current = el.scrollHeight - el.scrollTop - el.clientHeight < 24;
      }}
    >
      {op.logDropped > 0 && <span className="muted">… {op.logDropped} earlier lines not kept{'\n'}</span>}
      {op.log.length === 0 && <span className="muted">No output yet.</span>}
      {op.log.map((line) => (
        <span key={line.seq}>
          <span className="log-time">{line.at.slice(11, 19)} </span>
          {line.step && <span className="log-step">[{line.step}] </span>}
          {line.text}
          {'\n'}
        </span>
      ))}
    </pre>
  );
}
