import type { PortRanges } from '../../../src-shared/contract/schemas';

/** The four inputs of the port ranges form, as typed (strings). */
export interface PortRangesDraft {
  publicStart: string;
  publicEnd: string;
  internalStart: string;
  internalEnd: string;
}

export type PortRangesErrors = Partial<Record<keyof PortRangesDraft, string>>;

// The contract's rules (portNumberSchema, portRangeSchema, portRangesSchema), repeated here because the renderer
// bundle carries no zod; main checks again on `settings.setPortRanges`, so this is for inline feedback only.
const MIN_PORT = 1024;
const MAX_PORT = 65535;

/** The form values for saved ranges. */
export function draftOf(r: PortRanges): PortRangesDraft {
  return { publicStart: String(r.public.start), publicEnd: String(r.public.end), internalStart: String(r.internal.start), internalEnd: String(r.internal.end) };
}

function portError(text: string): string | null {
  if (text.trim() === '') return 'Required.';
  if (!/^\d+$/.test(text.trim())) return 'A whole number.';
  const n = Number(text);
  if (n < MIN_PORT || n > MAX_PORT) return `Between ${MIN_PORT} and ${MAX_PORT} (ports below 1024 are privileged).`;
  return null;
}

/** Checks a draft: every field's own error, then start <= end, then that the two ranges do not overlap. */
export function validatePortRanges(d: PortRangesDraft): { errors: PortRangesErrors; value: PortRanges | null } {
  const errors: PortRangesErrors = {};
  for (const key of Object.keys(d) as Array<keyof PortRangesDraft>) {
    const e = portError(d[key]);
    if (e) errors[key] = e;
  }
  if (Object.keys(errors).length) return { errors, value: null };
  const value: PortRanges = {
    public: { start: Number(d.publicStart), end: Number(d.publicEnd) },
    internal: { start: Number(d.internalStart), end: Number(d.internalEnd) },
  };
  if (value.public.start > value.public.end) errors.publicEnd = 'Must not be below the start.';
  if (value.internal.start > value.internal.end) errors.internalEnd = 'Must not be below the start.';
  if (!errors.publicEnd && !errors.internalEnd && value.public.start <= value.internal.end && value.internal.start <= value.public.end) {
    errors.internalStart = 'The internal range overlaps the public range.';
  }
  return Object.keys(errors).length ? { errors, value: null } : { errors, value };
}

/** How many apps the ranges can hold: every app needs one port of each. */
export function capacityOf(r: PortRanges): number {
  return Math.min(r.public.end - r.public.start + 1, r.internal.end - r.internal.start + 1);
}
