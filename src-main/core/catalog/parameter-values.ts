import { ProximityError } from '../errors';
import type { Manifest, Parameter } from './manifest-schema';
import { generateSecret, type RandomIndex } from './secret-generator';

/** What an operator typed for each parameter id; omitted ids take the manifest's default. */
export type ParameterInput = Readonly<Record<string, string | number | boolean | undefined>>;

/**
 * A secret of one deployment, to be stored encrypted and shown to the operator once. `source` says where it
 * came from: generated now, typed by the operator, or re-used from the deployment's stored secrets.
 */
export interface DeploymentSecret {
  parameterId: string;
  label: string;
  value: string;
  source: 'generated' | 'operator' | 'stored';
}

/** The parameter values as the strings that go into the compose file, and the secrets among them. */
export interface ResolvedParameters {
  values: Map<string, string>;
  secrets: DeploymentSecret[];
}

/** Longest value accepted for any parameter, in characters. */
const MAX_VALUE_LENGTH = 4096;

/**
 * Checks every operator value against its parameter (type, required, length, pattern, range, choices), fills in
 * defaults, re-uses stored secrets and generates missing ones. Values are never altered: a value either passes
 * unchanged or is refused. A few characters that cannot pass unchanged through YAML parsers and environment
 * variables (NUL, C1 controls, NEL, LS, PS, BOM, lone surrogates) are refused.
 *
 * @param stored secrets already stored for this deployment, by parameter id (a re-render keeps them).
 * @throws ProximityError CATALOG_PARAMETER_INVALID listing every problem in `details.problems`
 *   (`{ parameter, message }[]`), including ids the manifest does not declare.
 */
export function resolveParameters(
  manifest: Manifest,
  input: ParameterInput,
  stored: Readonly<Record<string, string>> = {},
  random?: RandomIndex,
): ResolvedParameters {
  const problems: { parameter: string; message: string }[] = [];
  const values = new Map<string, string>();
  const secrets: DeploymentSecret[] = [];
  const known = new Set(manifest.parameters.map((p) => p.id));
  for (const id of Object.keys(input)) {
    if (!known.has(id)) problems.push({ parameter: id, message: `is not a parameter of ${manifest.id}` });
  }
  for (const p of manifest.parameters) {
    const given = Object.hasOwn(input, p.id) ? input[p.id] : undefined;
    try {
      if (p.type === 'password') {
        const secret = resolvePassword(p, given, stored[p.id], random);
        if (secret) {
          values.set(p.id, secret.value);
          secrets.push(secret);
        }
      } else {
        const value = resolvePlain(p, given);
        if (value !== undefined) values.set(p.id, value);
      }
    } catch (e) {
      problems.push({ parameter: p.id, message: (e as Error).message });
    }
  }
  if (problems.length > 0) {
    throw new ProximityError(
      'CATALOG_PARAMETER_INVALID',
      `Invalid parameters for ${manifest.name}: ${problems.map((p) => `${p.parameter} ${p.message}`).join('; ')}`,
      { details: { problems } },
    );
  }
  return { values, secrets };
}

/**
 * Characters refused in any value: NUL (no environment variable can hold it); C1 controls, U+FFFE/U+FFFF and
 * lone surrogates (YAML 1.1 parsers such as PyYAML reject them as non-printable); NEL, LS, PS and BOM, which
 * libyaml-derived parsers (compose's Go YAML, PyYAML) read as line breaks or stream marks even inside quotes.
 */
// eslint-disable-next-line no-control-regex -- NUL is exactly what this pattern refuses
const UNPORTABLE = /[\u0000\u0080-\u009f\u2028\u2029\ufeff\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function checkText(value: string): void {
  const bad = UNPORTABLE.exec(value);
  if (bad) {
    const code = bad[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
    throw new Error(`must not contain the character U+${code} (not portable through YAML and environment variables)`);
  }
  if (value.length > MAX_VALUE_LENGTH) throw new Error(`must be at most ${MAX_VALUE_LENGTH} characters`);
}

function resolvePassword(
  p: Extract<Parameter, { type: 'password' }>,
  given: unknown,
  stored: string | undefined,
  random?: RandomIndex,
): DeploymentSecret | undefined {
  if (given !== undefined && given !== '') {
    if (typeof given !== 'string') throw new Error('must be text');
    checkText(given);
    if (given.length < p.minLength) throw new Error(`must be at least ${p.minLength} characters`);
    return { parameterId: p.id, label: p.label, value: given, source: 'operator' };
  }
  if (stored !== undefined) return { parameterId: p.id, label: p.label, value: stored, source: 'stored' };
  if (p.generate) return { parameterId: p.id, label: p.label, value: generateSecret(p.generate, random), source: 'generated' };
  throw new Error('is required');
}

function resolvePlain(p: Exclude<Parameter, { type: 'password' }>, given: unknown): string | undefined {
  const value = given === undefined ? p.default : given;
  switch (p.type) {
    case 'string': {
      if (value === undefined || value === '') {
        if (p.required) throw new Error('is required');
        return undefined;
      }
      if (typeof value !== 'string') throw new Error('must be text');
      checkText(value);
      if (p.minLength !== undefined && value.length < p.minLength) throw new Error(`must be at least ${p.minLength} characters`);
      if (value.length > p.maxLength) throw new Error(`must be at most ${p.maxLength} characters`);
      if (p.pattern !== undefined && !new RegExp(p.pattern, 'u').test(value)) throw new Error(`must match ${p.pattern}`);
      return value;
    }
    case 'number': {
      if (value === undefined) throw new Error('is required');
      if (typeof value !== 'number' || !Number.isFinite(value)) throw new Error('must be a finite number');
      if (p.integer && !Number.isInteger(value)) throw new Error('must be an integer');
      if (p.min !== undefined && value < p.min) throw new Error(`must be at least ${p.min}`);
      if (p.max !== undefined && value > p.max) throw new Error(`must be at most ${p.max}`);
      return String(value);
    }
    case 'boolean': {
      if (value === undefined) throw new Error('is required');
      if (typeof value !== 'boolean') throw new Error('must be true or false');
      return value ? 'true' : 'false';
    }
    case 'choice': {
      if (value === undefined) throw new Error('is required');
      if (typeof value !== 'string' || !p.choices.includes(value)) throw new Error(`must be one of ${p.choices.join(', ')}`);
      return value;
    }
  }
}
