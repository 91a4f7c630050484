import { z } from 'zod';

/**
 * The subset of the Compose specification (https://github.com/compose-spec/compose-spec, `spec.md`) a catalog
 * manifest may use. Every app runs in its own Alpine LXC, reached only through Proximity's proxy, so a manifest
 * cannot publish host ports (Proximity publishes the one exposed port), bind host paths, change the network
 * mode, add devices or capabilities, run privileged, or build images. Anything outside this subset is refused
 * by name (`.strict()`), so a manifest never carries a key nobody reviewed.
 */

/** Compose's own pattern for service, volume and network names (compose-spec.json `^[a-zA-Z0-9._-]+$`). */
export const composeNameSchema = z
  .string()
  .regex(/^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/, 'must be 1-63 letters, digits, ".", "_" or "-", starting alphanumeric');

/** An environment variable name (POSIX-ish; Ghost and Gitea use `__` and lower case). */
export const envNameSchema = z
  .string()
  .regex(/^[A-Za-z_][A-Za-z0-9_.]{0,127}$/, 'must be a letter or "_" followed by letters, digits, "_" or "."');

/**
 * A Docker image reference: `[registry[:port]/]path[:tag][@sha256:digest]`. Whether the tag is pinned is a
 * separate check ({@link imageTag}), so that an importer can warn rather than refuse.
 */
export const imageRefSchema = z
  .string()
  .regex(
    /^(?:[a-z0-9][a-z0-9.-]*(?::[0-9]{1,5})?\/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@sha256:[a-f0-9]{64})?$/,
    'must be an image reference such as "postgres:16.4-alpine" or "ghcr.io/owner/app:1.2.3"',
  );

/** The tag of an image reference, or null when it has none (which Docker reads as `latest`). */
export function imageTag(image: string): string | null {
  const withoutDigest = image.split('@')[0];
  const lastSlash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.indexOf(':', lastSlash + 1);
  return colon === -1 ? null : withoutDigest.slice(colon + 1);
}

/** A named-volume mount in short syntax: `volume:/path/in/container[:ro|:rw]`. Host paths are refused. */
export const volumeMountSchema = z
  .string()
  .regex(
    /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}:\/[A-Za-z0-9._@+/-]*(?::(?:ro|rw))?$/,
    'must be "<named volume>:/path/in/container[:ro]"; host paths (bind mounts) are not allowed',
  );

const stringOrList = z.union([z.string().max(4096), z.array(z.string().max(4096)).max(64)]);
const durationSchema = z.string().regex(/^(?:[0-9]+(?:ms|s|m|h))+$/, 'must be a duration such as "30s" or "1m30s"');

/** A literal environment value in a manifest (a parameter fills the rest at render time). */
export const envValueSchema = z.union([z.string().max(4096), z.number(), z.boolean()]);

export const composeServiceSchema = z
  .object({
    image: imageRefSchema,
    command: stringOrList.optional(),
    entrypoint: stringOrList.optional(),
    environment: z.record(envNameSchema, envValueSchema).optional(),
    volumes: z.array(volumeMountSchema).max(32).optional(),
    tmpfs: z.array(z.string().regex(/^\/[A-Za-z0-9._/-]*(?::[a-z0-9=,]+)?$/)).max(8).optional(),
    depends_on: z
      .union([
        z.array(composeNameSchema).max(16),
        z.record(
          composeNameSchema,
          z
            .object({
              condition: z.enum(['service_started', 'service_healthy', 'service_completed_successfully']),
              restart: z.boolean().optional(),
            })
            .strict(),
        ),
      ])
      .optional(),
    restart: z.enum(['no', 'always', 'on-failure', 'unless-stopped']).optional(),
    healthcheck: z
      .object({
        test: stringOrList,
        interval: durationSchema.optional(),
        timeout: durationSchema.optional(),
        retries: z.number().int().min(0).max(100).optional(),
        start_period: durationSchema.optional(),
      })
      .strict()
      .optional(),
    user: z.string().regex(/^[A-Za-z0-9_.-]+(?::[A-Za-z0-9_.-]+)?$/).optional(),
    working_dir: z.string().regex(/^\/[A-Za-z0-9._/-]*$/).optional(),
    shm_size: z.string().regex(/^[0-9]+[bkmg]?$/).optional(),
    init: z.boolean().optional(),
    stop_grace_period: durationSchema.optional(),
    security_opt: z.array(z.enum(['no-new-privileges:true'])).optional(),
  })
  .strict();
export type ComposeService = z.infer<typeof composeServiceSchema>;

/** Top-level keys; `name` and `ports` are written by the renderer, `version` is obsolete. */
export const composeDocumentSchema = z
  .object({
    services: z.record(composeNameSchema, composeServiceSchema).refine((s) => Object.keys(s).length > 0, {
      message: 'must define at least one service',
    }),
    volumes: z
      .record(composeNameSchema, z.union([z.null(), z.object({}).strict()]))
      .optional(),
  })
  .strict();
export type ComposeDocument = z.infer<typeof composeDocumentSchema>;

/**
 * Keys a manifest's service may not use, with the reason an author sees. Checked before the schema so the
 * message explains the rule instead of only saying "unrecognized key".
 */
export const FORBIDDEN_SERVICE_KEYS: Readonly<Record<string, string>> = {
  ports: 'Proximity publishes only the exposed port (see `expose`); remove `ports`',
  expose: 'Proximity publishes only the exposed port (see the manifest\'s `expose`); remove the service\'s `expose`',
  privileged: 'privileged containers are not allowed',
  network_mode: 'the network mode is fixed (the stack\'s default bridge network)',
  devices: 'host devices are not allowed',
  cap_add: 'extra capabilities are not allowed',
  pid: 'sharing the host PID namespace is not allowed',
  ipc: 'sharing the host IPC namespace is not allowed',
  build: 'images are pulled, never built; use a pinned `image`',
  volumes_from: 'use named volumes',
  env_file: 'env files are not bundled; use `environment` or parameters',
  container_name: 'container names are chosen by compose',
};
