// PVE's privileges and built-in roles, as pve-access-control AccessControl.pm builds them from $privgroups
// (create_roles): PVE<Cat>Admin = admin+user+audit, PVE<Cat>User = user+audit (only where `user` is non-empty),
// PVEAuditor = all audit, PVEAdmin = every admin/user/audit except Mapping.Modify, Administrator = everything,
// NoAccess = nothing, PVETemplateUser = VM.Clone + VM.Audit. Sys.AccessNetwork (PVE 8.x, download-url) is an
// admin privilege of the Sys group.

interface PrivGroup {
  root: string[];
  admin: string[];
  user: string[];
  audit: string[];
}

const PRIV_GROUPS: Record<string, PrivGroup> = {
  VM: {
    root: [],
    admin: ['VM.Config.Disk', 'VM.Config.CPU', 'VM.Config.Memory', 'VM.Config.Network', 'VM.Config.HWType', 'VM.Config.Options',
      'VM.Allocate', 'VM.Clone', 'VM.Migrate', 'VM.Monitor', 'VM.Snapshot', 'VM.Snapshot.Rollback'],
    user: ['VM.Config.CDROM', 'VM.Config.Cloudinit', 'VM.Console', 'VM.Backup', 'VM.PowerMgmt'],
    audit: ['VM.Audit'],
  },
  Sys: {
    root: ['Sys.PowerMgmt', 'Sys.Modify', 'Sys.Incoming'],
    admin: ['Sys.Console', 'Sys.Syslog', 'Sys.AccessNetwork'],
    user: [],
    audit: ['Sys.Audit'],
  },
  Datastore: {
    root: [],
    admin: ['Datastore.Allocate', 'Datastore.AllocateTemplate'],
    user: ['Datastore.AllocateSpace'],
    audit: ['Datastore.Audit'],
  },
  SDN: { root: [], admin: ['SDN.Allocate', 'SDN.Audit'], user: ['SDN.Use'], audit: ['SDN.Audit'] },
  User: { root: ['Realm.Allocate'], admin: ['User.Modify', 'Group.Allocate', 'Realm.AllocateUser'], user: [], audit: [] },
  Pool: { root: [], admin: ['Pool.Allocate'], user: ['Pool.Audit'], audit: ['Pool.Audit'] },
  Mapping: { root: [], admin: ['Mapping.Modify'], user: ['Mapping.Use'], audit: ['Mapping.Audit'] },
};

/** Every valid privilege name. */
export const VALID_PRIVILEGES: ReadonlySet<string> = new Set([
  'Permissions.Modify',
  ...Object.values(PRIV_GROUPS).flatMap((g) => [...g.root, ...g.admin, ...g.user, ...g.audit]),
]);

function buildRoles(): Record<string, ReadonlySet<string>> {
  const roles: Record<string, Set<string>> = { NoAccess: new Set(), Administrator: new Set(VALID_PRIVILEGES), PVEAdmin: new Set(), PVEAuditor: new Set() };
  for (const [cat, g] of Object.entries(PRIV_GROUPS)) {
    const admin = (roles[`PVE${cat}Admin`] ??= new Set());
    for (const p of [...g.admin, ...g.user, ...g.audit]) {
      admin.add(p);
      roles.PVEAdmin.add(p);
    }
    if (g.user.length > 0) {
      const user = (roles[`PVE${cat}User`] ??= new Set());
      for (const p of [...g.user, ...g.audit]) user.add(p);
    }
    for (const p of g.audit) roles.PVEAuditor.add(p);
  }
  roles.PVEAdmin.delete('Mapping.Modify');
  roles.PVETemplateUser = new Set(['VM.Clone', 'VM.Audit']);
  return roles;
}

/** Built-in roles by name (privilege sets). */
export const BUILTIN_ROLES: Readonly<Record<string, ReadonlySet<string>>> = buildRoles();
