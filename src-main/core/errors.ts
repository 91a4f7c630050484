import type { ErrorCode } from '../../src-shared/contract/errors';

export type { ErrorCode };

/** An error an operator can act on: a stable code, a clear message, optional structured details and the cause. */
export class ProximityError extends Error {
  readonly code: ErrorCode;
  readonly details?: unknown;

  constructor(code: ErrorCode, message: string, options: { details?: unknown; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ProximityError';
    this.code = code;
    this.details = options.details;
  }
}

export function isProximityError(e: unknown): e is ProximityError {
  return e instanceof ProximityError;
}
