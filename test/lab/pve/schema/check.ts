// Port of pve-common JSONSchema.pm check_prop / check_object / check_type (the parts the API dump uses).
// Values are modelled as Perl sees them after pve-http-server decoded the request: scalars (strings or JSON
// numbers), ARRAY and HASH refs, and JSON::PP::Boolean objects (JSON true/false).
import { FormatError, resolveVerifier } from './formats';
import { indexedSchemaKey } from './indexed';
import { NAMED_PROPERTY_FORMATS } from './named-property-formats';
import { anchoredPattern } from './perl-regex';
import { setOwn } from './coerce';
import { parsePropertyStringAt, PropertyStringError } from './property-string';

export type Errors = Record<string, string>;
export type Schema = Record<string, any>;

export interface CheckContext {
  /** JSON bodies may carry true/false for booleans (NOTES.md section 1, pve-common check_type). */
  jsonBooleans: boolean;
}

/** add_error: the path '' becomes `_root`; a second error on the same path is appended after a literal `\n`. */
export function addError(errors: Errors, path: string, msg: string): void {
  const key = path || '_root';
  const prev = Object.prototype.hasOwnProperty.call(errors, key) ? errors[key] : undefined;
  setOwn(errors, key, prev ? `${prev}\\n${msg}` : msg);
}

/** What Perl's ref() would say about a decoded value ('' for scalars). */
export function perlRef(value: unknown): string {
  if (Array.isArray(value)) return 'ARRAY';
  if (typeof value === 'boolean') return 'JSON::PP::Boolean';
  if (value !== null && typeof value === 'object') return 'HASH';
  return '';
}

/** A scalar as Perl would stringify it. */
export const scalar = (value: unknown): string => String(value);

export const isNumber = (v: string): boolean => /^[+-]?(\d+\.\d+|\d+\.|\.\d+|\d+)([eE][+-]?\d+)?$/.test(v);
export const isInteger = (v: string): boolean => /^[+-]?\d+$/.test(v);

/** check_type for the simple types; returns false (after recording the error) when the value does not fit. */
export function checkType(path: string, type: unknown, value: unknown, errors: Errors, ctx: CheckContext): boolean {
  if (!type || type === 'any') return true;
  if (Array.isArray(type)) {
    if (type.some((t) => checkType(path, t, value, {}, ctx))) return true;
    addError(errors, path, `type check ('${type.join('|')}') failed`);
    return false;
  }
  if (type === 'null') {
    addError(errors, path, `type check ('null') failed - value is not null`);
    return false;
  }
  const vt = perlRef(value);
  if (type === 'array' || type === 'object') {
    if (vt !== (type === 'array' ? 'ARRAY' : 'HASH')) {
      addError(errors, path, `type check ('${type}') failed`);
      return false;
    }
    return true;
  }
  if (vt) {
    if (type === 'boolean' && vt === 'JSON::PP::Boolean' && ctx.jsonBooleans) return true;
    addError(errors, path, `type check ('${type}') failed - got ${vt}`);
    return false;
  }
  const v = scalar(value);
  // Booleans: exactly '1' or '0'. JSONSchema.pm keeps the looser /^(1|true|yes|on)$/i test commented out, so a
  // form-encoded `start=true` is refused; only property strings run parse_boolean (see property-string.ts).
  const ok =
    type === 'boolean' ? v === '1' || v === '0' : type === 'integer' ? isInteger(v) : type === 'number' ? isNumber(v) : true;
  if (!ok) addError(errors, path, `type check ('${type}') failed - got '${v}'`);
  return ok;
}

/** check_format: returns the parsed property string for hash formats, else undefined; throws like PVE's `die`. */
export function runFormat(format: unknown, value: string, path: string): Record<string, unknown> | undefined {
  if (format && typeof format === 'object') return parsePropertyStringAt(format as Schema, value, path);
  if (typeof format !== 'string' || format === 'regex') return undefined;
  const named = NAMED_PROPERTY_FORMATS[format];
  if (named) return parsePropertyStringAt(named.format, value, path, named.validator);
  resolveVerifier(format)?.(value); // unknown names are accepted (see UNCHECKED_FORMATS)
  return undefined;
}

/** The text PVE shows for a died format check: the message, plus `key: error` lines for "format error". */
export function formatFailure(err: unknown): string {
  if (err instanceof PropertyStringError || err instanceof FormatError) return err.message;
  throw err;
}

export function checkProp(value: unknown, schema: Schema, path: string, errors: Errors, ctx: CheckContext): void {
  if (value === undefined || value === null) {
    if (schema.type === 'null') return;
    if (!schema.optional && !schema.alias && !schema.group) {
      addError(errors, path, 'property is missing and it is not optional');
    }
    return;
  }
  if (!checkType(path, schema.type, value, errors, ctx)) return;

  const vt = perlRef(value);
  if (vt === 'ARRAY') {
    if (schema.items && typeof schema.items === 'object') {
      (value as unknown[]).forEach((el, i) => checkProp(el, schema.items, `${path}[${i}]`, errors, ctx));
    }
    return;
  }
  if (vt === 'HASH') {
    if (schema.properties || schema.additionalProperties) {
      checkObject(path, schema.properties ?? {}, value as Record<string, unknown>, schema.additionalProperties, errors, ctx);
    }
    return;
  }

  const v = scalar(value);
  if (schema.format) {
    try {
      runFormat(schema.format, v, path);
    } catch (err) {
      addError(errors, path, `invalid format - ${formatFailure(err)}`);
      return;
    }
  }
  if (schema.pattern && !anchoredPattern(String(schema.pattern)).test(v)) {
    addError(errors, path, 'value does not match the regex pattern');
    return;
  }
  // Perl's length() counts characters (the body is decoded as UTF-8), not bytes.
  const length = [...v].length;
  if (schema.maxLength !== undefined && length > Number(schema.maxLength)) {
    addError(errors, path, `value may only be ${schema.maxLength} characters long`);
    return;
  }
  if (schema.minLength !== undefined && length < Number(schema.minLength)) {
    addError(errors, path, `value must be at least ${schema.minLength} characters long`);
    return;
  }
  if (isNumber(v)) {
    if (schema.maximum !== undefined && Number(v) > Number(schema.maximum)) {
      addError(errors, path, `value must have a maximum value of ${schema.maximum}`);
      return;
    }
    if (schema.minimum !== undefined && Number(v) < Number(schema.minimum)) {
      addError(errors, path, `value must have a minimum value of ${schema.minimum}`);
      return;
    }
  }
  if (Array.isArray(schema.enum) && !schema.enum.some((e: unknown) => String(e) === v)) {
    addError(errors, path, `value '${v}' does not have a value in the enumeration '${schema.enum.join(', ')}'`);
  }
}

/** Finds the schema of a key: exact, else an indexed `name[n]` entry whose range holds the index. */
export function propertySchema(props: Schema, key: string): Schema | undefined {
  if (Object.prototype.hasOwnProperty.call(props, key)) return props[key];
  const indexed = indexedSchemaKey(props, key);
  return indexed ? props[indexed] : undefined;
}

export function checkObject(
  path: string,
  props: Schema,
  value: Record<string, unknown>,
  additional: unknown,
  errors: Errors,
  ctx: CheckContext,
): void {
  if (perlRef(value) !== 'HASH') {
    addError(errors, path, 'an object is required');
    return;
  }
  const join = (k: string): string => (path ? `${path}.${k}` : k);
  for (const [k, sub] of Object.entries(props)) {
    if (k.endsWith('[n]')) continue; // indexed entries are all optional; present ones are checked below
    checkProp(value[k], sub, join(k), errors, ctx);
  }
  for (const k of Object.keys(value)) {
    const sub = propertySchema(props, k);
    if (sub) {
      if (!Object.prototype.hasOwnProperty.call(props, k)) checkProp(value[k], sub, join(k), errors, ctx);
      const requires = sub.requires;
      if (requires && typeof requires === 'object') {
        checkProp(value, requires, path, errors, ctx);
      } else if (requires && (value[requires] === undefined || value[requires] === null)) {
        addError(errors, join(requires), `missing property - '${join(k)}' requires this property`);
      }
      continue;
    }
    if (additional !== undefined && additional !== null && !additional) {
      addError(errors, join(k), 'property is not defined in schema and the schema does not allow additional properties');
      continue;
    }
    if (additional && typeof additional === 'object') checkProp(value[k], additional as Schema, join(k), errors, ctx);
  }
}
