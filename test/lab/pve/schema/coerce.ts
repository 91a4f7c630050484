// After validation: turn the Perl-ish decoded values into typed JS values for route handlers.

/** Assign without invoking setters, so a parameter named `__proto__` stays a plain own property. */
export function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** integer/number -> number, boolean -> 0|1, string -> string; arrays/objects pass through. */
export function coerceScalar(schema: Record<string, any> | undefined, value: unknown): unknown {
  if (value === undefined || value === null || typeof value === 'object') return value;
  switch (schema?.type) {
    case 'integer':
    case 'number':
      return Number(value);
    case 'boolean':
      return value === true || String(value) === '1' ? 1 : 0;
    case 'string':
      return String(value);
    default:
      return value;
  }
}

/** Coerce one validated parameter, including `items` of arrays. */
export function coerceValue(schema: Record<string, any> | undefined, value: unknown): unknown {
  if (Array.isArray(value)) return value.map((el) => coerceValue(schema?.items, el));
  return coerceScalar(schema, value);
}
