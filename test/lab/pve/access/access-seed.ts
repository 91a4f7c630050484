// One call to set up a user with limited ACLs and its API tokens, for tests (`emu.access` / seedAccess) and
// for the lab's control endpoint (`POST /access`), so a client can be shown "missing privileges named".
import { z } from 'zod';
import type { AccessState } from './access-state';

const aclSchema = z.object({
  path: z.string().min(1),
  roles: z.array(z.string().regex(/^[A-Za-z0-9.\-_]+$/)).min(1),
  propagate: z.union([z.literal(0), z.literal(1)]).optional(),
});

/** `{roles?, userid, password?, acl?, tokens?: [{tokenid, privsep?, acl?}]}`; privsep defaults to 1 as in PVE. */
export const accessSeedSchema = z.object({
  /** custom roles to create first (skipped when a role of that name exists with the same privileges) */
  roles: z.array(z.object({ roleid: z.string().regex(/^[A-Za-z0-9.\-_]+$/), privs: z.array(z.string()) })).default([]),
  userid: z.string().regex(/^[^\s:/]+@[A-Za-z][A-Za-z0-9.\-_]+$/),
  password: z.string().min(1).optional(),
  acl: z.array(aclSchema).default([]),
  tokens: z
    .array(
      z.object({
        tokenid: z.string().regex(/^[A-Za-z][A-Za-z0-9.\-_]+$/),
        privsep: z.union([z.literal(0), z.literal(1)]).optional(),
        acl: z.array(aclSchema).default([]),
      }),
    )
    .default([]),
});

export type AccessSeed = z.input<typeof accessSeedSchema>;

/**
 * Creates (or replaces) the user, its ACLs, and its tokens with their own ACLs. Returns the tokens as
 * `{tokenId: 'user@realm!name', tokenSecret}` (what a client puts in `PVEAPIToken=`). Throws a ZodError for a
 * malformed seed and PVE's texts for unknown roles or paths.
 */
export function seedAccess(access: AccessState, input: AccessSeed): { userid: string; tokens: { tokenId: string; tokenSecret: string }[] } {
  const seed = accessSeedSchema.parse(input);
  for (const r of seed.roles) {
    const have = access.roleDefs.get(r.roleid);
    if (!have || [...have].sort().join(',') !== [...r.privs].sort().join(',')) access.addRole(r.roleid, r.privs);
  }
  access.addUser(seed.userid, { password: seed.password });
  for (const a of seed.acl) access.setAcl(a.path, a.roles, [seed.userid], { propagate: a.propagate });
  const tokens = seed.tokens.map((t) => {
    const tokenSecret = access.addToken(seed.userid, t.tokenid, { privsep: t.privsep ?? 1 });
    const tokenId = `${seed.userid}!${t.tokenid}`;
    for (const a of t.acl) access.setAcl(a.path, a.roles, [tokenId], { propagate: a.propagate });
    return { tokenId, tokenSecret };
  });
  return { userid: seed.userid, tokens };
}
