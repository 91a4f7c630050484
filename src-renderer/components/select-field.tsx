import { ChevronDown } from 'lucide-react';
import { useId, type SelectHTMLAttributes } from 'react';

export interface SelectOption {
  value: string;
  label: string;
}

export interface SelectFieldProps extends Omit<SelectHTMLAttributes<HTMLSelectElement>, 'onChange'> {
  label: string;
  hideLabel?: boolean;
  options: readonly SelectOption[];
  onValueChange(value: string): void;
}

/**
 * A labelled select. Deliberately the native element, styled: it is fully accessible and keyboard-friendly on
 * every platform, and Radix Select renders an inline <style> element that our CSP (style-src 'self') refuses.
 */
export function SelectField({ label, hideLabel, options, onValueChange, id, className, ...rest }: SelectFieldProps) {
  const autoId = useId();
  const selectId = id ?? autoId;
  return (
    <div className={className ? `field-group ${className}` : 'field-group'}>
      <label htmlFor={selectId} className={hideLabel ? 'visually-hidden' : 'field-label'}>
        {label}
      </label>
      <div className="select-wrap">
        <select id={selectId} className="select" onChange={(e) => onValueChange(e.target.value)} {...rest}>
          {options.map((o) => (
            <option key={o.value} value={o.value}>
              {o.label}
            </option>
          ))}
        </select>
        <ChevronDown size={15} aria-hidden />
      </div>
    </div>
  );
}
