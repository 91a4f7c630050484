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
      // pve-common since 8.x no longer dies on an unknown key here: it is kept, and check_object (additional
      // properties not allowed) reports it as `<path>.<key>: property is not defined in schema ...` below.
      if (schema?.type === 'boolean') v = parseBoolean(v as string) ?? v;
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
 * Throws PropertyStringError with PVE's message (e.g. "format error\nnet0.vnet: property is not defined in schema and
 * the schema does not allow additional properties\n", or "duplicate key in comma-separated list property: name\n").
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

/** A parsed property string as plain strings (what the lab stores and prints again). */
export type PropMap = Record<string, string>;

/**
 * Parse an already validated property string with its schema `format` (same parser as validation, so the lab
 * parses property strings in one place) and return the values as strings (booleans as `0`/`1`, as PVE prints them).
 * Throws PropertyStringError like parsePropertyString.
 */
export function parsePropMap(format: object | string, value: string, opts: { defaultKey?: string } = {}): PropMap {
  const out: PropMap = {};
  for (const [k, v] of Object.entries(parsePropertyString(format, value, opts))) setOwn(out, k, String(v));
  return out;
}

/** Print like PVE's print_property_string: `first` keys in that order, then the rest sorted; `bareKey` without `key=`. */
export function printPropertyString(props: PropMap, first: string[] = [], bareKey?: string): string {
  const keys = Object.keys(props).filter((k) => props[k] !== undefined && props[k] !== '');
  const ordered = [...first.filter((k) => keys.includes(k)), ...keys.filter((k) => !first.includes(k)).sort()];
  return ordered.map((k) => (k === bareKey ? props[k] : `${k}=${props[k]}`)).join(',');
}

/** PVE::JSONSchema::format_size: bytes in the largest whole unit (`8G`, `512M`), else plain bytes. */
export function printDiskSize(bytes: number): string {
  for (const [u, f] of [['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) {
    if (bytes % f === 0) return `${bytes / f}${u}`;
  }
  return String(bytes);
}
