// Indexed options. The API dump folds `net0`..`net31` into one `net[n]` entry; the real schema has one property
// per index, so anything past the range is an unknown parameter. Ranges from the Proxmox sources:
// pve-container Config.pm ($MAX_LXC_NETWORKS 32, $MAX_MOUNT_POINTS 256, $MAX_DEVICES 256, $MAX_UNUSED_DISKS 256),
// qemu-server ($MAX_NETS 32, ide 4, sata 6, scsi 31, virtio 16, serial 4, parallel 3, usb 14, hostpci 16,
// numa 8, virtiofs 10, unused 256), corosync links 8 (pve-cluster), ACME domains 5 (pve-manager).

export const INDEX_COUNT: Readonly<Record<string, number>> = {
  net: 32,
  ipconfig: 32,
  mp: 256,
  dev: 256,
  unused: 256,
  ide: 4,
  sata: 6,
  scsi: 31,
  virtio: 16,
  serial: 4,
  parallel: 3,
  usb: 14,
  hostpci: 16,
  numa: 8,
  virtiofs: 10,
  link: 8,
  acmedomain: 5,
};

/** Fallback for an indexed name not in the table (a future schema): accept 0..255 rather than refuse. */
const DEFAULT_COUNT = 256;

/** `net0` -> `net[n]` when `props` has that entry and 0 <= index < count (no leading zeros, like `net01`). */
export function indexedSchemaKey(props: Record<string, unknown>, key: string): string | undefined {
  const m = /^([a-z][a-z_-]*?)(0|[1-9]\d*)$/i.exec(key);
  if (!m) return undefined;
  const entry = `${m[1]}[n]`;
  if (!Object.prototype.hasOwnProperty.call(props, entry)) return undefined;
  return Number(m[2]) < (INDEX_COUNT[m[1]] ?? DEFAULT_COUNT) ? entry : undefined;
}
