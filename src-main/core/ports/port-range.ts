import { z } from 'zod';

export interface PortRange {
  start: number;
  end: number;
}

export type PortRangeKind = 'public' | 'internal';

// Below 1024 needs root on the appliance; 65535 is the last TCP port.
export const portRangeSchema = z
  .object({
    start: z.number().int().min(1024).max(65535),
    end: z.number().int().min(1024).max(65535),
  })
  .strict()
  .refine((r) => r.start <= r.end, { message: 'start must be less than or equal to end' });

export const DEFAULT_PUBLIC_RANGE: PortRange = { start: 30000, end: 30999 };
export const DEFAULT_INTERNAL_RANGE: PortRange = { start: 40000, end: 40999 };

export function rangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

export function rangeSize(r: PortRange): number {
  return r.end - r.start + 1;
}
