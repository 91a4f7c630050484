import { z } from 'zod';
import { composeDocumentSchema, composeNameSchema, envNameSchema } from './compose-schema';

/**
 * The catalog manifest format, version 1 (documented in docs/catalog.md). One app is one folder holding
 * `manifest.yaml` and the icon file it names. This file holds the shape only; cross-field rules (the exposed
 * service exists, no fixed secrets, pinned images, ...) are in manifest-checks.ts.
 */
export const MANIFEST_FORMAT_VERSION = 1;

/** App and parameter ids: lower-case kebab, 2-40 characters (they end up in hostnames and file names). */
export const catalogIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,38}[a-z0-9])$/, 'must be 2-40 lower-case letters, digits or "-", not starting or ending with "-"');

/** The compose value a parameter fills: an environment variable of one service, optionally inside a template. */
export const parameterFillSchema = z
  .object({
    service: composeNameSchema,
    env: envNameSchema,
    /**
     * Every `{value}` is replaced by the parameter's value, e.g. `postgres://app:{value}@db/app`. Allowed only for
     * values that cannot break the template (generated passwords, numbers, booleans, choices, deployment values).
     */
    template: z
      .string()
      .max(1024)
      .refine((t) => t.includes('{value}'), { message: 'must contain "{value}"' })
      .optional(),
  })
  .strict();
export type ParameterFill = z.infer<typeof parameterFillSchema>;

const fillsSchema = z.array(parameterFillSchema).min(1, 'must fill at least one compose value').max(16);

const parameterBase = {
  id: catalogIdSchema,
  label: z.string().min(1).max(80),
  description: z.string().max(500).optional(),
  fills: fillsSchema,
};

/** Alphabets a generated secret may use; all are safe inside URLs, YAML and shell-free env files. */
export const SECRET_ALPHABETS = {
  alphanumeric: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
  hex: '0123456789abcdef',
  'url-safe': 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_',
} as const;
export type SecretAlphabet = keyof typeof SECRET_ALPHABETS;

/** How a secret is generated per deployment: `length` characters drawn uniformly from `alphabet`. */
export const secretGeneratorSchema = z
  .object({
    length: z.number().int().min(16).max(128),
    alphabet: z.enum(Object.keys(SECRET_ALPHABETS) as [SecretAlphabet, ...SecretAlphabet[]]).default('alphanumeric'),
  })
  .strict();
export type SecretGenerator = z.infer<typeof secretGeneratorSchema>;

const stringParameterSchema = z
  .object({
    ...parameterBase,
    type: z.literal('string'),
    default: z.string().max(4096).optional(),
    required: z.boolean().default(true),
    minLength: z.number().int().min(0).max(4096).optional(),
    maxLength: z.number().int().min(1).max(4096).default(256),
    /** A JavaScript regular expression the whole value must match (anchor it yourself). */
    pattern: z
      .string()
      .max(500)
      .refine(
        (p) => {
          try {
            new RegExp(p, 'u');
            return true;
          } catch {
            return false;
          }
        },
        { message: 'must be a valid regular expression' },
      )
      .optional(),
  })
  .strict();

const passwordParameterSchema = z
  .object({
    ...parameterBase,
    type: z.literal('password'),
    /** When present, the value is generated per deployment unless the operator types one. */
    generate: secretGeneratorSchema.optional(),
    minLength: z.number().int().min(8).max(128).default(12),
    default: z
      .never({ error: 'a password parameter cannot have a fixed default; use `generate` so each deployment gets its own' })
      .optional(),
  })
  .strict();

const numberParameterSchema = z
  .object({
    ...parameterBase,
    type: z.literal('number'),
    default: z.number().optional(),
    min: z.number().optional(),
    max: z.number().optional(),
    integer: z.boolean().default(true),
  })
  .strict();

const booleanParameterSchema = z
  .object({ ...parameterBase, type: z.literal('boolean'), default: z.boolean().optional() })
  .strict();

const choiceParameterSchema = z
  .object({
    ...parameterBase,
    type: z.literal('choice'),
    choices: z.array(z.string().min(1).max(200)).min(2).max(50),
    default: z.string().optional(),
  })
  .strict();

export const parameterSchema = z.discriminatedUnion('type', [
  stringParameterSchema,
  passwordParameterSchema,
  numberParameterSchema,
  booleanParameterSchema,
  choiceParameterSchema,
]);
export type Parameter = z.infer<typeof parameterSchema>;
export type ParameterType = Parameter['type'];

/**
 * Values Proximity knows at deployment time and can fill in: `public-url`, the app's public origin
 * (`http://10.20.0.1:30001`, for Ghost's `url`); `public-host`, its host and port (`10.20.0.1:30001`);
 * `hostname`, its DNS label under `.prox.local`.
 */
export const DEPLOYMENT_VALUE_NAMES = ['public-url', 'public-host', 'hostname'] as const;
export type DeploymentValueName = (typeof DEPLOYMENT_VALUE_NAMES)[number];

const deploymentValueSchema = z
  .object({ value: z.enum(DEPLOYMENT_VALUE_NAMES), fills: fillsSchema })
  .strict();

/** A resource with the default Proximity proposes and the minimum the app needs (default >= min). */
function resource(unit: string, lo: number, hi: number) {
  return z
    .object({
      default: z.number().int().min(lo).max(hi),
      min: z.number().int().min(lo).max(hi),
    })
    .strict()
    .refine((r) => r.default >= r.min, { message: `default must be at least min (${unit})`, path: ['default'] });
}

export const manifestSchema = z
  .object({
    format: z.literal(MANIFEST_FORMAT_VERSION, { error: `must be ${MANIFEST_FORMAT_VERSION} (the manifest format version)` }),
    id: catalogIdSchema,
    name: z.string().min(1).max(60),
    description: z.string().min(1).max(300),
    /** The app's own version, normally the pinned tag of the exposed service's image. */
    version: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._+-]{0,39}$/, 'must be a version such as "1.22.3"'),
    category: z.string().regex(/^[A-Z][A-Za-z0-9 &-]{1,30}$/, 'must be a capitalised category such as "Media"'),
    tags: z
      .array(z.string().regex(/^[a-z0-9][a-z0-9-]{0,30}$/, 'must be lower-case kebab'))
      .max(12)
      .refine((t) => new Set(t).size === t.length, { message: 'must not repeat a tag' })
      .default([]),
    website: z.url({ protocol: /^https?$/, error: 'must be an http(s) URL' }),
    /** A file beside the manifest (bundled, never fetched). */
    icon: z.string().regex(/^[a-z0-9][a-z0-9-]{0,62}\.svg$/, 'must be the file name of an SVG beside the manifest'),
    compose: composeDocumentSchema,
    expose: z
      .object({ service: composeNameSchema, port: z.number().int().min(1).max(65535) })
      .strict(),
    health: z
      .object({
        path: z.string().regex(/^\/[A-Za-z0-9._~/?=&%+-]*$/, 'must be an absolute URL path such as "/" or "/api/health"'),
      })
      .strict(),
    resources: z
      .object({
        cores: resource('cores', 1, 64),
        memory: resource('MiB', 64, 262_144),
        disk: resource('GiB', 1, 4096),
      })
      .strict(),
    parameters: z
      .array(parameterSchema)
      .max(40)
      .refine((ps) => new Set(ps.map((p) => p.id)).size === ps.length, { message: 'parameter ids must be unique' })
      .default([]),
    deploymentValues: z.array(deploymentValueSchema).max(8).default([]),
    notes: z.string().max(4000).optional(),
  })
  .strict();

/** A validated manifest (defaults applied). */
export type Manifest = z.infer<typeof manifestSchema>;
/** A manifest as an author writes it (defaults may be omitted). */
export type ManifestInput = z.input<typeof manifestSchema>;
