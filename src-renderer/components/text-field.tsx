import { AlertCircle } from 'lucide-react';
import { forwardRef, useId, type InputHTMLAttributes, type ReactNode } from 'react';

export interface TextFieldProps extends Omit<InputHTMLAttributes<HTMLInputElement>, 'size'> {
  label: string;
  /** Visually hidden label (still announced), for search boxes with an obvious purpose. */
  hideLabel?: boolean;
  hint?: ReactNode;
  /** Inline validation message; marks the input invalid and is announced with it. */
  error?: string | null;
  /** A Lucide icon shown inside the input, on the left. */
  icon?: ReactNode;
}

/** A labelled input with an optional hint and inline validation, wired with aria-invalid/aria-describedby. */
export const TextField = forwardRef<HTMLInputElement, TextFieldProps>(function TextField(
  { label, hideLabel, hint, error, icon, id, className, ...rest },
  ref,
) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  const describedBy = [hintId, errorId].filter(Boolean).join(' ') || undefined;
  const input = (
    <input
      ref={ref}
      id={inputId}
      className="input"
      aria-invalid={error ? true : undefined}
      aria-describedby={describedBy}
      {...rest}
    />
  );
  return (
    <div className={className ? `field-group ${className}` : 'field-group'}>
      <label htmlFor={inputId} className={hideLabel ? 'visually-hidden' : 'field-label'}>
        {label}
      </label>
      {icon ? (
        <div className="input-with-icon">
          {icon}
          {input}
        </div>
      ) : (
        input
      )}
      {hint && (
        <span id={hintId} className="field-hint">
          {hint}
        </span>
      )}
      {error && (
        <span id={errorId} className="field-error" role="status">
          <AlertCircle size={13} aria-hidden />
          {error}
        </span>
      )}
    </div>
  );
});
