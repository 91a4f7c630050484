/** One label/value row of a card's definition list. `tone` colours the value (never used on stale data). */
export function Field(props: { label: string; value: string | undefined; testId: string; mono?: boolean; note?: string; tone?: 'good' | 'bad' }) {
  return (
    <div className="field">
      <dt>{props.label}</dt>
      <dd className={[props.mono ? 'mono' : '', props.tone ?? ''].join(' ').trim() || undefined} data-testid={props.testId}>
        {props.value ?? '—'}
        {props.note && <span className="note"> ({props.note})</span>}
      </dd>
    </div>
  );
}
