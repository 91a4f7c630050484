// Lenient check of a handler's output against the method's `returns` schema (for the emulator's own tests):
// wrong types, missing non-optional properties and values outside an enum are problems; extra properties and
// numbers sent as numeric strings (PVE's Perl does that, e.g. nextid "100") are fine. `null` is accepted where
// the property is optional and for the whole response (PVE returns undef for many methods).
import { isInteger, isNumber, type Schema } from './check';

export function checkReturnValue(schema: Schema | undefined, data: unknown): string[] {
  const problems: string[] = [];
  if (schema && data !== null && data !== undefined) walk(schema, data, 'data', problems);
  return problems;
}

function typeOk(type: unknown, v: unknown): boolean {
  switch (type) {
    case undefined:
    case 'any':
      return true;
    case 'null':
      return v === null;
    case 'string':
      return typeof v === 'string' || typeof v === 'number';
    case 'integer':
      return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && isInteger(v));
    case 'number':
      return typeof v === 'number' || (typeof v === 'string' && isNumber(v));
    case 'boolean':
      return typeof v === 'boolean' || v === 0 || v === 1 || v === '0' || v === '1';
    case 'array':
      return Array.isArray(v);
    case 'object':
      return v !== null && typeof v === 'object' && !Array.isArray(v);
    default:
      return Array.isArray(type) ? type.some((t) => typeOk(t, v)) : true;
  }
}

function walk(schema: Schema, v: unknown, path: string, problems: string[]): void {
  if (!typeOk(schema.type, v)) {
    problems.push(`${path}: expected ${JSON.stringify(schema.type)}, got ${JSON.stringify(v)}`);
    return;
  }
  if (Array.isArray(v)) {
    if (schema.items) v.forEach((el, i) => walk(schema.items, el, `${path}[${i}]`, problems));
    return;
  }
  if (v !== null && typeof v === 'object') {
    const obj = v as Record<string, unknown>;
    for (const [k, sub] of Object.entries((schema.properties ?? {}) as Schema)) {
      const value = obj[k];
      if (value === undefined || value === null) {
        if (!sub.optional && value === undefined) problems.push(`${path}.${k}: missing (not optional)`);
        continue;
      }
      walk(sub, value, `${path}.${k}`, problems);
    }
    return;
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => String(e) === String(v))) {
    problems.push(`${path}: '${String(v)}' not in enum ${schema.enum.join(', ')}`);
  }
}
