// Property strings (`name=eth0,bridge=vmbr0,ip=dhcp`): port of pve-common JSONSchema.pm parse_property_string.
// Boolean keys go through parse_boolean (1|on|yes|true / 0|off|no|false, case-insensitive) before the check,
// unlike top-level parameters which must be exactly 0/1.
import { checkObject, type Errors, type Schema } from './check';
import { coerceScalar, setOwn } from './coerce';
import { NAMED_PROPERTY_FORMATS } from './named-property-formats';

/** PVE's `die`/`raise` from parse_property_string; `message` is the text PVE shows after "invalid format - ". */
export class PropertyStringError extends Error {
  constructor(
    message: string,
    readonly errors?: Errors,
  ) {
    super(message);
    this.name = 'PropertyStringError';
  }
}

function die(message: string): never {
  throw new PropertyStringError(`${message}\n`);
}

export function parseBoolean(v: string): 0 | 1 | undefined {
  if (/^(1|on|yes|true)$/i.test(v)) return 1;
  if (/^(0|off|no|false)$/i.test(v)) return 0;
  return undefined;
}

/** Raw parse + check (values stay strings, booleans become 0/1) — what check_format does for hash formats. */
export function parsePropertyStringAt(
  format: Schema,
  data: string,
  path: string,
  validator?: (parsed: Record<string, unknown>) => void,
  defaultKeyOverride?: string,
): Record<string, unknown> {
  const res: Record<string, unknown> = {};
  const has = (k: string): boolean => Object.prototype.hasOwnProperty.call(res, k);
  let defaultKey: string | undefined;
  for (const part of data.split(',')) {
    if (/^\s*$/.test(part)) continue;
    const kv = /^([^=]+)=(.+)$/.exec(part);
    if (kv) {
      let k = kv[1];
      let v: unknown = kv[2];
      if (has(k)) die(`duplicate key in comma-separated list property: ${k}`);
      let schema = Object.prototype.hasOwnProperty.call(format, k) ? format[k] : undefined;
      if (schema?.alias) {
        if (schema.keyAlias) {
          if (has(schema.keyAlias)) die(`key alias '${schema.keyAlias}' is already defined`);
          setOwn(res, schema.keyAlias, k);
        }
        k = schema.alias;
        schema = format[k];
      }
      if (!schema) die(`invalid key in comma-separated list property: ${k}`);
      if (schema.type === 'boolean') v = parseBoolean(v as string) ?? v;
      setOwn(res, k, v);
    } else if (!part.includes('=')) {
      if (defaultKey) die(`duplicate key in comma-separated list property: ${defaultKey}`);
      const key = defaultKeyOverride ?? Object.keys(format).find((key) => format[key]?.default_key);
      if (!key) die('value without key, but schema does not define a default key');
      defaultKey = key;
      if (has(key) && res[key]) die(`duplicate key in comma-separated list property: ${key}`);
      setOwn(res, key, part);
    } else {
      die('missing key in comma-separated list property');
    }
  }
  const errors: Errors = {};
  checkObject(path, format, res, 0, errors, { jsonBooleans: false });
  if (Object.keys(errors).length > 0) {
    const lines = Object.entries(errors).map(([k, v]) => `${k}: ${v}\n`);
    throw new PropertyStringError(`format error\n${lines.join('')}`, errors);
  }
  validator?.(res);
  return res;
}

/**
 * Parse and validate a property string against an inline `format` object or a named property-string format
 * (`prune-backups`, ...). Returns typed values (integers/numbers as numbers, booleans as 0|1).
 * Throws PropertyStringError with PVE's message (e.g. "invalid key in comma-separated list property: foo\n").
 */
export function parsePropertyString(
  format: object | string,
  value: string,
  opts: { defaultKey?: string; path?: string } = {},
): Record<string, unknown> {
  let fmt: Schema;
  let validator: ((parsed: Record<string, unknown>) => void) | undefined;
  if (typeof format === 'string') {
    const named = NAMED_PROPERTY_FORMATS[format];
    if (!named) die(`unknown format: ${format}`);
    fmt = named.format;
    validator = named.validator;
  } else {
    fmt = format as Schema;
  }
  const raw = parsePropertyStringAt(fmt, value, opts.path ?? '', validator, opts.defaultKey);
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) setOwn(out, k, Object.prototype.hasOwnProperty.call(fmt, k) ? coerceScalar(fmt[k], v) : v);
  return out;
}
