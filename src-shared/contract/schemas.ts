import { z } from 'zod';

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

export const appInfoSchema = z
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
export type AppInfo = z.infer<typeof appInfoSchema>;

export const storeStatusSchema = z
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
export type StoreStatus = z.infer<typeof storeStatusSchema>;

/** A TCP port number an operator may hand to Proximity: unprivileged, so never 0-1023. */
export const portNumberSchema = z.number().int().min(1024).max(65535);

export const portRangeSchema = z
  .object({ start: portNumberSchema, end: portNumberSchema })
  .strict()
  .refine((r) => r.start <= r.end, { message: 'start must be <= end', path: ['start'] });
export type PortRange = z.infer<typeof portRangeSchema>;

/** `public` is what operators open in a browser; `internal` (the "canvas") is the frame-friendly port the app window embeds. */
export const portRangesSchema = z
  .object({ public: portRangeSchema, internal: portRangeSchema })
  .strict()
  .refine((r) => r.public.end < r.internal.start || r.internal.end < r.public.start, {
    message: 'public and internal port ranges must not overlap',
    path: ['internal'],
  });
export type PortRanges = z.infer<typeof portRangesSchema>;

/** The two ports an app holds: `public` for browsers, `internal` (the "canvas") for the app window's iframe. */
export const portPairSchema = z.object({ public: portNumberSchema, internal: portNumberSchema }).strict();
export type PortPair = z.infer<typeof portPairSchema>;

export const appSummarySchema = z
  .object({
    id: z.string(),
    catalogId: z.string(),
    name: z.string(),
    hostname: z.string(),
    node: z.string().nullable(),
    vmid: z.number().int().nullable(),
    status: z.string(),
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

/** Only web pages may be opened outside the app: never file:, javascript:, custom schemes or credentials. */
export const externalUrlSchema = z
  .string()
  .max(2048)
  .refine(
    (raw) => {
      try {
        const u = new URL(raw);
        return (u.protocol === 'http:' || u.protocol === 'https:') && u.username === '' && u.password === '';
      } catch {
        return false;
      }
    },
    { message: 'must be an http(s) URL without credentials' },
  );
