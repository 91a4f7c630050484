// What Proximity needs from a Proxmox VE user or API token, per ACL path, and why. The ONE place this list lives:
// "Test connection" checks it with GET /access/permissions?path=<path> and names what is missing as
// `<privilege> on <path>`. Privilege names and what each allows: pve-access-control PVE/AccessControl.pm
// ($privgroups) and the `permissions` of the API methods Proximity calls (pve-container API2/LXC*.pm,
// pve-manager API2/Nodes.pm, API2/Network.pm, API2/VZDump.pm, pve-storage API2/Storage/*.pm).

/** One privilege on one ACL path, with the reason Proximity needs it (shown to the operator). */
export interface RequiredPrivilege {
  priv: string;
  why: string;
}

/** ACL paths; `{node}` is replaced by every node of the cluster. */
export const REQUIRED_PRIVILEGES: Readonly<Record<'/vms' | '/storage' | '/nodes/{node}', readonly RequiredPrivilege[]>> = {
  '/vms': [
    { priv: 'VM.Allocate', why: 'create and destroy the app containers and the network appliance (POST/DELETE /nodes/{node}/lxc)' },
    { priv: 'VM.Audit', why: 'read container status and config, and see guests in /cluster/resources (live cluster state)' },
    { priv: 'VM.Config.Disk', why: 'set the root disk (rootfs) when creating or resizing a container' },
    { priv: 'VM.Config.CPU', why: 'set the cores of a container' },
    { priv: 'VM.Config.Memory', why: 'set the memory and swap of a container' },
    { priv: 'VM.Config.Network', why: 'attach containers to the appliance bridge (net0)' },
    { priv: 'VM.Config.Options', why: 'set features (nesting for Docker), onboot, hostname, description and tags' },
    { priv: 'VM.PowerMgmt', why: 'start, stop, shut down and reboot containers' },
    { priv: 'VM.Snapshot', why: 'snapshot a container before an update, and remove the snapshot' },
    { priv: 'VM.Backup', why: 'back up containers with vzdump' },
  ],
  '/storage': [
    { priv: 'Datastore.AllocateSpace', why: 'allocate container root disks and backup files on a storage' },
    { priv: 'Datastore.AllocateTemplate', why: 'download container templates (pveam / aplinfo)' },
    { priv: 'Datastore.Audit', why: 'list templates and backups and read free space for placement' },
  ],
  '/nodes/{node}': [
    { priv: 'Sys.Audit', why: 'read node status, tasks and task logs, and the node network configuration' },
    { priv: 'Sys.Modify', why: 'create the appliance bridge and apply or revert node network changes' },
  ],
};

/** The concrete ACL paths to check for a cluster with these nodes, each with its required privileges. */
export function requiredPrivilegesFor(nodes: readonly string[]): { path: string; privs: readonly RequiredPrivilege[] }[] {
  return [
    { path: '/vms', privs: REQUIRED_PRIVILEGES['/vms'] },
    { path: '/storage', privs: REQUIRED_PRIVILEGES['/storage'] },
    ...nodes.map((node) => ({ path: `/nodes/${node}`, privs: REQUIRED_PRIVILEGES['/nodes/{node}'] })),
  ];
}
