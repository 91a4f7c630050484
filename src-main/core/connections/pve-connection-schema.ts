import { z } from 'zod';

// A host name or an IP literal, nothing that could smuggle a scheme, path, port or whitespace into a URL.
const hostSchema = z
  .string()
  .trim()
  .min(1)
  .max(253)
  .regex(/^(\[[0-9a-fA-F:.]+\]|[0-9a-fA-F:]*:[0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, 'host must be a host name or an IP address');

/** As PVE shows a certificate fingerprint: SHA-256, 32 colon-separated hex bytes. Stored upper-case. */
export const tlsFingerprintSchema = z
  .string()
  .trim()
  .regex(/^([0-9A-Fa-f]{2}:){31}[0-9A-Fa-f]{2}$/, 'TLS fingerprint must be SHA-256 as AB:CD:... (32 bytes)')
  .transform((s) => s.toUpperCase());

/** As OpenSSH prints a host key fingerprint: `SHA256:` + unpadded base64 of 32 bytes. */
export const sshHostKeyFingerprintSchema = z
  .string()
  .trim()
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'SSH host key fingerprint must look like SHA256:<43 base64 characters>');

const portSchema = z.number().int().min(1).max(65535);

export const newPveConnectionSchema = z
  .object({
    name: z.string().trim().min(1).max(100),
    host: hostSchema,
    port: portSchema.default(8006),
    authKind: z.enum(['token', 'password']),
    /** Token id `user@realm!name`, or the user `user@realm` for password auth. */
    authId: z.string().trim().regex(/^[^\s@!]+@[^\s@!]+(![A-Za-z][A-Za-z0-9._-]*)?$/, 'expected user@realm or user@realm!tokenname'),
    secret: z.string().min(1).max(4096),
    tlsFingerprint: tlsFingerprintSchema.nullish(),
    ssh: z
      .object({
        host: hostSchema,
        port: portSchema.default(22),
        user: z.string().trim().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'SSH user must be a plain Unix user name'),
        /** how `secret` logs in: a private key or a password (null: not said, older rows) */
        authKind: z.enum(['key', 'password']).nullish(),
        secret: z.string().min(1).max(65536).nullish(),
        hostKeyFingerprint: sshHostKeyFingerprintSchema.nullish(),
      })
      .strict()
      .nullish(),
  })
  .strict()
  .refine((c) => (c.authKind === 'token') === c.authId.includes('!'), {
    message: 'authId must be a token id (user@realm!name) for token auth and a user (user@realm) for password auth',
    path: ['authId'],
  });

export type NewPveConnection = z.input<typeof newPveConnectionSchema>;

/**
 * An edit of a stored connection: only the fields given change; a secret not given is kept. `ssh: null` removes
 * the SSH login. Validated again as a whole after merging (auth kind vs id, ssh secret present).
 */
export const pveConnectionEditSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    host: hostSchema.optional(),
    port: portSchema.optional(),
    authKind: z.enum(['token', 'password']).optional(),
    authId: z.string().trim().optional(),
    secret: z.string().min(1).max(4096).optional(),
    ssh: z
      .object({
        host: hostSchema.optional(),
        port: portSchema.optional(),
        user: z.string().trim().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'SSH user must be a plain Unix user name').optional(),
        authKind: z.enum(['key', 'password']).optional(),
        secret: z.string().min(1).max(65536).optional(),
      })
      .strict()
      .nullable()
      .optional(),
  })
  .strict();

export type PveConnectionEdit = z.input<typeof pveConnectionEditSchema>;
