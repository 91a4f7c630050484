import type { ErrorCode, IpcError } from './errors';

/**
 * What every channel returns. Errors are data, not throws: a thrown Error loses its fields when it crosses
 * Electron's context bridge, so the renderer could not react to a code.
 */
export type Result<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function err(code: ErrorCode, message: string, details?: unknown): { ok: false; error: IpcError } {
  return details === undefined
    ? { ok: false, error: { code, message } }
    : { ok: false, error: { code, message, details } };
}
