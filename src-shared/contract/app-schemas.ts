import { z } from 'zod';
import { appSummarySchema } from './schemas';

/**
 * Shapes of the apps feature that cross IPC: deploying, the lifecycle, the status view, the catalog, the safe
 * commands and the audit export. Kept apart from schemas.ts so the feature's contract reads in one place.
 */

const label = z.string().regex(/^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/, 'must be a lowercase DNS label');
const idInput = z.object({ id: z.string().min(1).max(100) }).strict();
export { idInput as appIdInputSchema };

/** Operator values for a catalog app's parameters, by parameter id. Checked against the manifest in main. */
export const deployParamsInputSchema = z.record(z.string().min(1).max(64), z.union([z.string().max(4096), z.number(), z.boolean()]));

export const deployInputSchema = z
  .object({
    connectionId: z.string().min(1).max(200),
    catalogId: z.string().min(2).max(40),
    hostname: label,
    name: z.string().trim().min(1).max(200).optional(),
    node: z.string().min(1).max(63).optional(),
    params: deployParamsInputSchema.default({}),
    resources: z
      .object({ cores: z.number().int().min(1).max(64), memory: z.number().int().min(64).max(262_144), disk: z.number().int().min(1).max(4096) })
      .partial()
      .strict()
      .optional(),
  })
  .strict();
export type DeployInput = z.input<typeof deployInputSchema>;

/** A started operation (follow it with `operations.get` / the `operations.progress` event). */
export const startedOperationSchema = z.object({ operationId: z.string(), appId: z.string() }).strict();

export const deleteAppInputSchema = z.object({ id: z.string().min(1).max(100), confirmDataLoss: z.boolean().default(false) }).strict();

export const accessUrlsSchema = z
  .object({
    mode: z.enum(['appliance', 'fallback']),
    public: z.string().nullable(),
    canvas: z.string().nullable(),
    dns: z.string().nullable(),
    direct: z.string().nullable(),
  })
  .strict();

/** One app with its status view: PVE's state, the compose runtime and the health check. */
export const appDetailSchema = z
  .object({
    app: appSummarySchema,
    urls: accessUrlsSchema.nullable(),
    pve: z
      .object({ status: z.enum(['running', 'stopped', 'missing']), uptimeS: z.number().nullable(), memBytes: z.number().nullable(), maxMemBytes: z.number().nullable() })
      .strict()
      .nullable(),
    runtime: z.object({ status: z.enum(['running', 'stopped', 'unknown']), detail: z.string() }).strict().nullable(),
    health: z.object({ healthy: z.boolean(), url: z.string(), detail: z.string() }).strict().nullable(),
  })
  .strict();
export type AppDetail = z.infer<typeof appDetailSchema>;

export const catalogSummarySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    description: z.string(),
    version: z.string(),
    category: z.string(),
    tags: z.array(z.string()),
    website: z.string(),
    iconSvg: z.string(),
  })
  .strict();
export type CatalogSummary = z.infer<typeof catalogSummarySchema>;

const resource = z.object({ default: z.number(), min: z.number() }).strict();
export const catalogDetailSchema = catalogSummarySchema
  .extend({
    resources: z.object({ cores: resource, memory: resource, disk: resource }).strict(),
    parameters: z.array(
      z
        .object({
          id: z.string(),
          label: z.string(),
          type: z.string(),
          description: z.string().nullable(),
          required: z.boolean(),
          secret: z.boolean(),
          default: z.union([z.string(), z.number(), z.boolean()]).nullable(),
          choices: z.array(z.string()).nullable(),
        })
        .strict(),
    ),
    notes: z.string().nullable(),
    healthPath: z.string(),
  })
  .strict();
export type CatalogDetail = z.infer<typeof catalogDetailSchema>;

export const SAFE_COMMAND_NAMES = ['logs', 'status', 'disk-usage', 'processes', 'memory', 'network', 'compose-services', 'rendered-config', 'system-info'] as const;
export const safeCommandNameSchema = z.enum(SAFE_COMMAND_NAMES);

export const safeCommandInfoSchema = z
  .object({
    id: safeCommandNameSchema,
    title: z.string(),
    description: z.string(),
    params: z.array(
      z.union([
        z.object({ name: z.string(), type: z.literal('integer'), min: z.number(), max: z.number(), default: z.number(), optional: z.literal(false) }).strict(),
        z.object({ name: z.string(), type: z.literal('string'), pattern: z.string(), maxLength: z.number(), optional: z.literal(true) }).strict(),
      ]),
    ),
  })
  .strict();

/** Parameters are checked against the command's own bounds in main (e.g. logs: tail 1-1000, service name). */
export const runCommandInputSchema = z
  .object({
    appId: z.string().min(1).max(100),
    commandId: safeCommandNameSchema,
    params: z.record(z.string().max(32), z.union([z.string().max(200), z.number()])).default({}),
  })
  .strict();

export const commandResultSchema = z
  .object({
    commandId: safeCommandNameSchema,
    exitCode: z.number().int().nullable(),
    stdout: z.string(),
    stderr: z.string(),
    truncated: z.boolean(),
    durationMs: z.number(),
  })
  .strict();

export const auditExportInputSchema = z.object({ format: z.enum(['csv', 'json']) }).strict();
export const auditExportSchema = z
  .object({ format: z.enum(['csv', 'json']), filename: z.string(), content: z.string(), rows: z.number().int().nonnegative() })
  .strict();

/** A container Proximity did not deploy, offered for adoption. */
export const adoptableGuestSchema = z.object({ node: z.string(), vmid: z.number().int(), name: z.string().nullable(), status: z.string().nullable() }).strict();

export const adoptInputSchema = z
  .object({
    connectionId: z.string().min(1).max(200),
    node: z.string().min(1).max(63),
    vmid: z.number().int().min(100).max(999_999_999),
    hostname: label,
    name: z.string().trim().min(1).max(200).optional(),
    catalogId: z.string().min(2).max(40).optional(),
    containerPort: z.number().int().min(1).max(65535),
    healthPath: z.string().max(200).optional(),
  })
  .strict();
