import { z } from 'zod';
import { errorCodeSchema } from './errors';

/**
 * Proxmox connection profiles and the live cluster as the renderer sees them. Inputs are strict (an unknown key is
 * a VALIDATION error). Outputs never carry a secret: only whether one is stored (`hasSecret`).
 */

/**
 * A host name, an IPv4 address or a BARE IPv6 address (`fe80::1`, never `[fe80::1]`: brackets are added only
 * when a URL is built). Nothing that could smuggle a scheme, path, port or whitespace into a URL or a command.
 */
export const connectionHostSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^([0-9a-fA-F:]*:[0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, 'host must be a host name, an IPv4 address or a bare IPv6 address');

export const tcpPortSchema = z.number().int().min(1).max(65535);

/** SHA-256 of a certificate as PVE shows it: 32 colon-separated hex bytes (any case; stored upper-case). */
export const tlsFingerprintInputSchema = z
  .string()
  .trim()
  .regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, 'TLS fingerprint must be SHA-256 as AB:CD:... (32 bytes)')
  .transform((s) => s.toUpperCase());

/** As OpenSSH prints a host key fingerprint: `SHA256:` + unpadded base64 of 32 bytes. */
export const sshFingerprintInputSchema = z
  .string()
  .trim()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'SSH host key fingerprint must look like SHA256:<43 base64 characters>');

/** PVE API credentials: an API token (preferred) or a user's password. */
export const connectionAuthInputSchema = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.literal('token'),
      // USER@REALM!TOKENID as `pveum user token add` prints it
      tokenId: z.string().trim().regex(/^[^\s@:!]+@[A-Za-z][A-Za-z0-9.\-_]*![A-Za-z][A-Za-z0-9.\-_]*$/, 'an API token id looks like user@realm!name'),
      secret: z.string().trim().regex(/^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/, 'an API token secret is a UUID'),
    })
    .strict(),
  z
    .object({
      kind: z.literal('password'),
      user: z.string().trim().regex(/^[^\s:/@]+$/, 'user without @realm, e.g. root'),
      realm: z.string().trim().regex(/^[A-Za-z][A-Za-z0-9.\-_]*$/, 'realm, e.g. pam or pve'),
      password: z.string().min(1).max(4096),
    })
    .strict(),
]);
export type ConnectionAuthInput = z.infer<typeof connectionAuthInputSchema>;

/** How Proximity logs in to the nodes over SSH (root: pct and pveam need it). */
export const sshAuthInputSchema = z.discriminatedUnion('kind', [
  // an unencrypted OpenSSH or PEM private key (file content)
  z.object({ kind: z.literal('key'), privateKey: z.string().min(1).max(65536) }).strict(),
  z.object({ kind: z.literal('password'), password: z.string().min(1).max(4096) }).strict(),
]);

const sshUserSchema = z.string().trim().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'SSH user must be a plain Unix user name');

const connectionNameSchema = z.string().trim().min(1).max(100);

/** `connections.add`: a new profile with the fingerprints the operator confirmed (from `connections.probe`). */
export const connectionAddInputSchema = z
  .object({
    name: connectionNameSchema,
    host: connectionHostSchema,
    port: tcpPortSchema.default(8006),
    auth: connectionAuthInputSchema,
    tlsFingerprint: tlsFingerprintInputSchema,
    ssh: z
      .object({
        host: connectionHostSchema,
        port: tcpPortSchema.default(22),
        user: sshUserSchema.default('root'),
        auth: sshAuthInputSchema,
        hostKeyFingerprint: sshFingerprintInputSchema,
      })
      .strict(),
  })
  .strict();
export type ConnectionAddInput = z.input<typeof connectionAddInputSchema>;

/**
 * `connections.update`: only the fields given change. A secret not given (auth without secret/password, ssh
 * without auth) keeps the stored one; changing the auth kind needs the new secret. Fingerprints change only
 * through `connections.repin`.
 */
export const connectionUpdateInputSchema = z
  .object({
    id: z.string().min(1).max(100),
    name: connectionNameSchema.optional(),
    host: connectionHostSchema.optional(),
    port: tcpPortSchema.optional(),
    auth: z
      .discriminatedUnion('kind', [
        z.object({ kind: z.literal('token'), tokenId: connectionAuthInputSchema.options[0].shape.tokenId, secret: connectionAuthInputSchema.options[0].shape.secret.optional() }).strict(),
        z
          .object({
            kind: z.literal('password'),
            user: connectionAuthInputSchema.options[1].shape.user,
            realm: connectionAuthInputSchema.options[1].shape.realm,
            password: z.string().min(1).max(4096).optional(),
          })
          .strict(),
      ])
      .optional(),
    ssh: z
      .object({
        host: connectionHostSchema.optional(),
        port: tcpPortSchema.optional(),
        user: sshUserSchema.optional(),
        auth: sshAuthInputSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();
export type ConnectionUpdateInput = z.input<typeof connectionUpdateInputSchema>;

/** `connections.probe`: first contact, nothing is stored and no credential is sent. */
export const connectionProbeInputSchema = z
  .object({
    host: connectionHostSchema,
    port: tcpPortSchema.default(8006),
    ssh: z
      .object({
        host: connectionHostSchema,
        port: tcpPortSchema.default(22),
        // Optional: log in to read the cluster CA (/etc/pve/pve-root-ca.pem). A key login is used with the host key
        // just probed (public-key auth reveals nothing to an impostor); a password only with `hostKeyFingerprint`,
        // the key the operator already confirmed.
        user: sshUserSchema.default('root'),
        auth: sshAuthInputSchema.optional(),
        hostKeyFingerprint: sshFingerprintInputSchema.optional(),
      })
      .strict()
      .optional(),
  })
  .strict();

export const connectionProbeResultSchema = z
  .object({
    tls: z
      .object({
        fingerprint: z.string(),
        // the cluster CA, where it could be read over SSH (a later edit/test reads it with the saved login)
        clusterCa: z.object({ fingerprint: z.string(), signsLeaf: z.boolean() }).strict().nullable(),
        clusterCaError: z.string().nullable(),
      })
      .strict(),
    ssh: z.object({ fingerprint: z.string(), algorithm: z.string() }).strict().nullable(),
  })
  .strict();
export type ConnectionProbeResult = z.infer<typeof connectionProbeResultSchema>;

/** `connections.repin`: the operator confirmed a new fingerprint (after a *_MISMATCH); audited. */
export const connectionRepinInputSchema = z.discriminatedUnion('kind', [
  z.object({ id: z.string().min(1).max(100), kind: z.literal('tls'), fingerprint: tlsFingerprintInputSchema }).strict(),
  z.object({ id: z.string().min(1).max(100), kind: z.literal('ssh'), fingerprint: sshFingerprintInputSchema }).strict(),
]);

export const connectionIdInputSchema = z.object({ id: z.string().min(1).max(100) }).strict();

/** A saved profile, without secrets. */
export const connectionSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    host: z.string(),
    port: z.number().int(),
    auth: z.union([
      z.object({ kind: z.literal('token'), tokenId: z.string() }).strict(),
      z.object({ kind: z.literal('password'), user: z.string(), realm: z.string() }).strict(),
    ]),
    hasSecret: z.literal(true),
    tlsFingerprint: z.string().nullable(),
    ssh: z
      .object({
        host: z.string(),
        port: z.number().int(),
        user: z.string(),
        authKind: z.enum(['key', 'password']).nullable(),
        hasSecret: z.boolean(),
        hostKeyFingerprint: z.string().nullable(),
      })
      .strict()
      .nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .strict();
export type Connection = z.infer<typeof connectionSchema>;

export const CONNECTION_TEST_STEPS = ['tcp', 'tls', 'auth', 'privileges', 'ssh', 'pct'] as const;

/** One part of "Test connection", in CONNECTION_TEST_STEPS order. */
export const connectionTestStepSchema = z
  .object({
    step: z.enum(CONNECTION_TEST_STEPS),
    status: z.enum(['ok', 'failed', 'skipped']),
    message: z.string(),
    code: errorCodeSchema.nullable(),
    // privileges only: what is missing, as `VM.Allocate on /vms`
    missing: z.array(z.string()).optional(),
    durationMs: z.number().nonnegative(),
  })
  .strict();

export const connectionTestReportSchema = z
  .object({ id: z.string(), ok: z.boolean(), steps: z.array(connectionTestStepSchema), durationMs: z.number().nonnegative() })
  .strict();
export type ConnectionTestReport = z.infer<typeof connectionTestReportSchema>;

const storageFreeSchema = z
  .object({ storage: z.string(), content: z.array(z.string()), shared: z.boolean(), status: z.string(), usedBytes: z.number(), totalBytes: z.number(), freeBytes: z.number() })
  .strict();

/** A node with what placement needs: free cores, memory and storage (bytes). */
export const clusterNodeSchema = z
  .object({
    node: z.string(),
    status: z.enum(['online', 'offline', 'unknown']),
    cpu: z.number(),
    maxcpu: z.number(),
    freeCpu: z.number(),
    memBytes: z.number(),
    maxmemBytes: z.number(),
    freeMemBytes: z.number(),
    uptimeSeconds: z.number(),
    storages: z.array(storageFreeSchema),
  })
  .strict();

export const clusterGuestSchema = z
  .object({
    vmid: z.number().int(),
    type: z.enum(['lxc', 'qemu']),
    node: z.string(),
    name: z.string(),
    status: z.string(),
    lock: z.string().nullable(),
    template: z.boolean(),
    tags: z.array(z.string()),
    cpu: z.number(),
    maxcpu: z.number(),
    memBytes: z.number(),
    maxmemBytes: z.number(),
    uptimeSeconds: z.number(),
  })
  .strict();

/** `cluster.get` and `cluster.changed` (one snapshot per connection, keyed by connectionId). */
export const clusterSnapshotSchema = z
  .object({
    connectionId: z.string(),
    health: z
      .object({
        status: z.enum(['ok', 'unreachable', 'auth-failed', 'error', 'unknown']),
        error: z.object({ code: z.string(), message: z.string() }).strict().nullable(),
      })
      .strict(),
    nodes: z.array(clusterNodeSchema),
    guests: z.array(clusterGuestSchema),
    // ISO time of the last answer from Proxmox; null before the first
    updatedAt: z.string().nullable(),
  })
  .strict();
export type ClusterSnapshot = z.infer<typeof clusterSnapshotSchema>;
