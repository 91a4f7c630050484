import { portRangeSchema, portRangesOverlap, type PortRange } from '../../../src-shared/contract/schemas';

// The schema and the overlap rule are the contract's (one definition for IPC input, settings and allocator).
export { portRangeSchema, portRangesOverlap, type PortRange };

export type PortRangeKind = 'public' | 'internal';

export const DEFAULT_PUBLIC_RANGE: PortRange = { start: 30000, end: 30999 };
export const DEFAULT_INTERNAL_RANGE: PortRange = { start: 40000, end: 40999 };
