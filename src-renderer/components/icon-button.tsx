import { forwardRef } from 'react';
import { Button, type ButtonProps } from './button';
import { Tooltip } from './tooltip';

export interface IconButtonProps extends Omit<ButtonProps, 'children' | 'aria-label'> {
  /** Required: an icon-only button is announced by this label and shows it as a tooltip. */
  label: string;
}

/** A square button holding only an icon; its label is its accessible name and its tooltip. */
export const IconButton = forwardRef<HTMLButtonElement, IconButtonProps>(function IconButton({ label, variant = 'ghost', className, ...rest }, ref) {
  return (
    <Tooltip content={label}>
      <Button ref={ref} variant={variant} aria-label={label} className={className ? `icon-button ${className}` : 'icon-button'} {...rest} />
    </Tooltip>
  );
});
