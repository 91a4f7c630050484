// Where and as whom to log in to a node over SSH. Secrets are passed in by the caller (decrypted from the store
// just before use); they are never logged, never put in an error message or error details.
import { createHash } from 'node:crypto';
import { z } from 'zod';
import { ProximityError } from '../errors';

// A host name, an IPv4 address or a bare IPv6 address (no brackets: ssh2 takes the address itself).
const sshHostSchema = z
  .string()
  .min(1)
  .max(253)
  .regex(/^([0-9a-fA-F:]*:[0-9a-fA-F:.]+|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)$/, 'host must be a host name or an IP address');

const sshAuthSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('key'),
    /** the private key file's content (OpenSSH or PEM format) */
    privateKey: z.union([z.string().min(1).max(65536), z.instanceof(Buffer).refine((b) => b.length > 0 && b.length <= 65536)]),
    passphrase: z.string().max(4096).optional(),
  }).strict(),
  z.object({ kind: z.literal('password'), password: z.string().min(1).max(4096) }).strict(),
]);

export const nodeSshTargetSchema = z.object({
  /** the caller's stable id for the node (pins are kept under it), e.g. `<connectionId>/<nodeName>` */
  nodeId: z.string().min(1).max(300).regex(/^[^\s\0]+$/, 'nodeId must not contain whitespace'),
  host: sshHostSchema,
  port: z.number().int().min(1).max(65535).default(22),
  /** a plain Unix user name; PVE's `pct` and `pveam` need root */
  user: z.string().regex(/^[a-z_][a-z0-9_-]{0,31}$/, 'SSH user must be a plain Unix user name'),
  auth: sshAuthSchema,
}).strict();

export type NodeSshTarget = z.input<typeof nodeSshTargetSchema>;
export type ParsedNodeSshTarget = z.output<typeof nodeSshTargetSchema>;
export type NodeSshAuth = z.input<typeof sshAuthSchema>;

/**
 * Validates a target. Throws ProximityError `VALIDATION` naming the bad fields only (never their values, so a
 * secret pasted into the wrong field does not end up in a message).
 */
export function parseNodeSshTarget(target: NodeSshTarget): ParsedNodeSshTarget {
  const r = nodeSshTargetSchema.safeParse(target);
  if (r.success) return r.data;
  const fields = [...new Set(r.error.issues.map((i) => i.path.map(String).join('.') || '(target)'))];
  throw new ProximityError('VALIDATION', `Invalid SSH settings: ${fields.join(', ')}.`, { details: { fields } });
}

/** A key identifying what a connection was made with (address, user, auth kind and a hash of the secret). */
export function targetIdentity(t: ParsedNodeSshTarget): string {
  const secret = t.auth.kind === 'key' ? Buffer.from(t.auth.privateKey).toString('base64') + (t.auth.passphrase ?? '') : t.auth.password;
  // keeps the raw secret out of the key (the pool holds these keys in a Map that may be inspected when debugging)
  const digest = createHash('sha256').update(secret).digest('hex');
  return JSON.stringify([t.nodeId, t.host, t.port, t.user, t.auth.kind, digest]);
}
