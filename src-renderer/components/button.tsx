import { Loader2 } from 'lucide-react';
import { forwardRef, type ButtonHTMLAttributes, type ReactNode } from 'react';

export type ButtonVariant = 'primary' | 'secondary' | 'ghost' | 'danger';

export interface ButtonProps extends ButtonHTMLAttributes<HTMLButtonElement> {
  variant?: ButtonVariant;
  size?: 'sm' | 'md';
  /** A Lucide icon element shown before the label (replaced by a spinner while `busy`). */
  icon?: ReactNode;
  /** Shows a spinner and disables the button (the label stays, so the width does not jump). */
  busy?: boolean;
}

/** The one button. `type="button"` by default, so a button inside a form never submits by surprise. */
export const Button = forwardRef<HTMLButtonElement, ButtonProps>(function Button(
  { variant = 'secondary', size = 'md', icon, busy = false, className, disabled, type = 'button', children, ...rest },
  ref,
) {
  return (
    <button
      ref={ref}
      type={type}
      className={className ? `button ${className}` : 'button'}
      data-variant={variant}
      data-size={size}
      disabled={disabled || busy}
      aria-busy={busy || undefined}
      {...rest}
    >
      {busy ? <Loader2 size={size === 'sm' ? 13 : 15} className="spin" aria-hidden /> : icon}
      {children}
    </button>
  );
});
