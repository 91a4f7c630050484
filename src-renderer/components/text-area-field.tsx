import { AlertCircle } from 'lucide-react';
import { useId, type ReactNode, type TextareaHTMLAttributes } from 'react';

export interface TextAreaFieldProps extends TextareaHTMLAttributes<HTMLTextAreaElement> {
  label: string;
  hint?: ReactNode;
  /** Inline validation message; marks the field invalid and is announced with it. */
  error?: string | null;
}

/** A labelled multi-line input (e.g. a pasted key file), wired like TextField with aria-invalid/aria-describedby. */
export function TextAreaField({ label, hint, error, id, ...rest }: TextAreaFieldProps) {
  const autoId = useId();
  const inputId = id ?? autoId;
  const hintId = hint ? `${inputId}-hint` : undefined;
  const errorId = error ? `${inputId}-error` : undefined;
  return (
    <div className="field-group">
      <label htmlFor={inputId} className="field-label">
        {label}
      </label>
      <textarea id={inputId} className="input textarea" aria-invalid={error ? true : undefined} aria-describedby={[hintId, errorId].filter(Boolean).join(' ') || undefined} {...rest} />
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
}
