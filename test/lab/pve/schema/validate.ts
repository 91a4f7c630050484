// Parameter validation of one request, the way PVE::RESTHandler::handle calls PVE::JSONSchema::validate.
import { checkProp, propertySchema, type Errors, type Schema } from './check';
import { coerceValue, setOwn } from './coerce';
import type { ResolvedRoute, ValidateOptions, ValidationResult } from './types';

/**
 * Turn the caller's decoded params into what Perl would hold after pve-http-server's decoding.
 * Form/query encoding (decode_urlencoded): `k=` has no value (`split /=/` drops the empty field), so it counts as
 * not given; repeated keys are joined with "\0" (split again by `-list` formats), except for `type: array`
 * parameters, which get the list. JSON: null means not given; other values keep their JSON type.
 */
function normalize(props: Schema, params: Record<string, unknown>, json: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, raw] of Object.entries(params)) {
    if (raw === undefined || raw === null) continue;
    if (json) {
      setOwn(out, k, raw);
      continue;
    }
    const isArrayParam = propertySchema(props, k)?.type === 'array';
    if (Array.isArray(raw)) {
      const items = raw.filter((x) => x !== undefined && x !== null && x !== '').map(String);
      if (items.length === 0) continue;
      setOwn(out, k, isArrayParam ? items : items.join('\0'));
    } else {
      const v = typeof raw === 'object' ? raw : String(raw);
      if (v === '') continue;
      setOwn(out, k, isArrayParam && typeof v === 'string' ? [v] : v);
    }
  }
  return out;
}

export function validateParams(
  route: ResolvedRoute,
  params: Record<string, unknown>,
  opts: ValidateOptions = {},
): ValidationResult {
  const schema: Schema = route.info.parameters ?? { additionalProperties: 0 };
  const props: Schema = schema.properties ?? {};
  const json = opts.encoding === 'json';
  // Path parameters always come from the URL (PVE overwrites body/query values with them).
  const instance = { ...normalize(props, params, json), ...route.pathParams };
  const errors: Errors = {};
  checkProp(instance, schema, '', errors, { jsonBooleans: json });
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(instance)) setOwn(out, k, coerceValue(propertySchema(props, k), v));
  return { ok: true, params: out };
}
