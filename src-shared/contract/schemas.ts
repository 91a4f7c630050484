import { z } from 'zod';
import { errorCodeSchema } from './errors';
import { isExternalWebUrl } from './origins';

/**
 * Shapes of the data that crosses IPC. These are the renderer's view of the product, not the database rows:
 * handlers in `src-main/ipc/handlers/` map core objects onto them, so a core refactor cannot silently change
 * what the renderer receives.
 */

export const runtimeSchema = z.enum(['electron', 'web-bridge']);
export type Runtime = z.infer<typeof runtimeSchema>;

/**
 * Where saved secrets (API tokens, SSH keys) are protected. `encrypted: false` means they are at best
 * obfuscated (Linux without a keyring falls back to Chromium's `basic_text`) or cannot be stored at all;
 * `warning` then says what the operator should do, and the UI must show it.
 */
export const secretStorageSchema = z
  .object({
    // 'os' (macOS keychain / Windows DPAPI), or the Linux backend: 'gnome_libsecret', 'kwallet6', 'basic_text', ...
    backend: z.string(),
    encrypted: z.boolean(),
    warning: z.string().nullable(),
  })
  .strict();
export type SecretStorageInfo = z.infer<typeof secretStorageSchema>;

export const systemInfoSchema = z
  .object({
    name: z.string(),
    version: z.string(),
    platform: z.string(),
    runtime: runtimeSchema,
    dataDir: z.string(),
    // null where this runtime keeps no secrets (the `npm run web` bridge has no safeStorage).
    secretStorage: secretStorageSchema.nullable(),
  })
  .strict();
export type SystemInfo = z.infer<typeof systemInfoSchema>;

export const databaseStatusSchema = z
  .object({
    path: z.string(),
    schemaVersion: z.number().int().nonnegative(),
    latestVersion: z.number().int().nonnegative(),
    journalMode: z.string(),
    foreignKeys: z.boolean(),
    // 'ok' when SQLite's integrity check passes, otherwise its first complaint.
    integrity: z.string(),
    sizeBytes: z.number().int().nonnegative(),
  })
  .strict();
export type DatabaseStatus = z.infer<typeof databaseStatusSchema>;

/** A TCP port number an operator may hand to Proximity: unprivileged, so never 0-1023. */
export const portNumberSchema = z.number().int().min(1024).max(65535);

export const portRangeSchema = z
  .object({ start: portNumberSchema, end: portNumberSchema })
  .strict()
  .refine((r) => r.start <= r.end, { message: 'start must be <= end', path: ['start'] });
export type PortRange = z.infer<typeof portRangeSchema>;

/** The one overlap rule for port ranges (inclusive bounds): used by this schema and by core's settings. */
export function portRangesOverlap(a: PortRange, b: PortRange): boolean {
  return a.start <= b.end && b.start <= a.end;
}

/** `public` is what operators open in a browser; `internal` (the "canvas") is the frame-friendly port the app window embeds. */
export const portRangesSchema = z
  .object({ public: portRangeSchema, internal: portRangeSchema })
  .strict()
  .refine((r) => !portRangesOverlap(r.public, r.internal), {
    message: 'public and internal port ranges must not overlap',
    path: ['internal'],
  });
export type PortRanges = z.infer<typeof portRangesSchema>;

/** The two ports an app holds: `public` for browsers, `internal` (the "canvas") for the app window's iframe. */
export const portPairSchema = z.object({ public: portNumberSchema, internal: portNumberSchema }).strict();
export type PortPair = z.infer<typeof portPairSchema>;

/**
 * Where a deployed app stands. Core records these, the tray and the UI show them: one list for all.
 * `missing`: the container is gone from Proxmox; `unknown`: not checked yet. Add states at the end.
 */
export const APP_STATUSES = ['pending', 'deploying', 'running', 'stopped', 'failed', 'missing', 'removing', 'unknown'] as const;
export const appStatusSchema = z.enum(APP_STATUSES);
export type AppStatus = z.infer<typeof appStatusSchema>;

/** The network appliance and Proxmox as one traffic light (tray, infrastructure screen). */
export const infrastructureStatusSchema = z.enum(['healthy', 'degraded', 'down', 'unknown']);
export type InfrastructureStatus = z.infer<typeof infrastructureStatusSchema>;

export const appSummarySchema = z
  .object({
    id: z.string(),
    catalogId: z.string(),
    name: z.string(),
    hostname: z.string(),
    node: z.string().nullable(),
    vmid: z.number().int().nullable(),
    status: appStatusSchema,
    // null until the allocator has given the app its pair.
    ports: portPairSchema.nullable(),
  })
  .strict();
export type AppSummary = z.infer<typeof appSummarySchema>;

export const portAssignmentSchema = z
  .object({ appId: z.string(), public: portNumberSchema, internal: portNumberSchema, assignedAt: z.string() })
  .strict();
export type PortAssignment = z.infer<typeof portAssignmentSchema>;

export const auditEntrySchema = z
  .object({
    id: z.number().int().positive(),
    at: z.string(),
    actor: z.string(),
    action: z.string(),
    target: z.string().nullable(),
    details: z.unknown(),
  })
  .strict();
export type AuditEntry = z.infer<typeof auditEntrySchema>;

/** The screens main can send the operator to (tray menu, later notifications). */
export const viewSchema = z.enum(['system', 'deploy', 'canvas', 'infrastructure']);
export type View = z.infer<typeof viewSchema>;

/** Where the UI should go. `canvas` shows one app, so it needs `appId`; the other views take none. */
export const navigationSchema = z
  .object({ view: viewSchema, appId: z.string().min(1).max(200).optional() })
  .strict()
  .refine((n) => (n.view === 'canvas') === (n.appId !== undefined), {
    message: 'appId is required for the canvas view and not allowed for the others',
    path: ['appId'],
  });
export type Navigation = z.infer<typeof navigationSchema>;

/** Only web pages may be opened outside the app: the policy is `isExternalWebUrl` (origins.ts). */
export const externalUrlSchema = z
  .string()
  .max(2048)
  .refine(isExternalWebUrl, { message: 'must be an http(s) URL without credentials' });

/**
 * Long work (deploy, provision, template download, backup). `interrupted`: it was running when Proximity stopped
 * (crash, quit, power loss); what it had done is in its log, nothing resumes it by itself.
 */
export const OPERATION_STATES = ['running', 'succeeded', 'failed', 'cancelled', 'interrupted'] as const;
export const operationStateSchema = z.enum(OPERATION_STATES);
export type OperationState = z.infer<typeof operationStateSchema>;

/** How many log lines an operation keeps (older ones are counted in `logDropped`). */
export const OPERATION_LOG_LIMIT = 500;

export const operationLogLineSchema = z
  .object({ seq: z.number().int().nonnegative(), at: z.string(), step: z.string().nullable(), text: z.string().max(4000) })
  .strict();
export type OperationLogLine = z.infer<typeof operationLogLineSchema>;

export const operationErrorSchema = z
  .object({ code: errorCodeSchema, message: z.string(), step: z.string().nullable() })
  .strict();
export type OperationError = z.infer<typeof operationErrorSchema>;

export const operationSummarySchema = z
  .object({
    id: z.string(),
    kind: z.string(),
    title: z.string(),
    // What it acts on, e.g. an app id or a node name; null when nothing in particular.
    target: z.string().nullable(),
    state: operationStateSchema,
    // The step running now (or the last one); null before the first step.
    step: z.string().nullable(),
    // 0-100, or null while the operation cannot estimate it.
    percent: z.number().min(0).max(100).nullable(),
    error: operationErrorSchema.nullable(),
    startedAt: z.string(),
    endedAt: z.string().nullable(),
  })
  .strict();
export type OperationSummary = z.infer<typeof operationSummarySchema>;

/** One operation with its log backlog: what `operations.get` answers and what `operations.progress` carries. */
export const operationSchema = operationSummarySchema
  .extend({
    log: z.array(operationLogLineSchema).max(OPERATION_LOG_LIMIT),
    logDropped: z.number().int().nonnegative(),
  })
  .strict();
export type Operation = z.infer<typeof operationSchema>;
