// pve-container >= the one in PVE 9.1.5 checks, when it creates or starts an unprivileged container, whether
// the guest OS runs systemd 255 or newer without `nesting=1` (systemd 255 needs it for its own namespaces) and
// warns through log_warn: the task ends `TASK WARNINGS: 1` (exitstatus `WARNINGS: 1`). Real PVE reads the
// systemd version from the container's rootfs; the lab derives it from the template the CT was created from.
import type { ClusterState, Container } from './cluster-state';

export const SYSTEMD_NESTING_WARNING = 'Systemd 255 detected. You may need to enable nesting.';

/** First pve-manager version that warns (9.1.5). */
const FIRST_WARNING_VERSION = [9, 1, 5] as const;

/** True when `version` (`9.1.5`) is at least `min`. */
export function versionAtLeast(version: string, min: readonly number[]): boolean {
  const v = version.split('.').map((x) => parseInt(x, 10) || 0);
  for (let i = 0; i < min.length; i++) {
    if ((v[i] ?? 0) !== min[i]) return (v[i] ?? 0) > min[i]!;
  }
  return true;
}

/**
 * Whether the OS of a template runs systemd >= 255: Debian 13 (trixie, systemd 257), Ubuntu 24.04 and later
 * (255+), Fedora 40 and later (255+), Arch Linux (rolling). `template` is a volid or file name
 * (`local:vztmpl/debian-13-standard_13.1-2_amd64.tar.zst`).
 */
export function templateRunsSystemd255(template: string): boolean {
  const base = template.split('/').pop() ?? '';
  const m = /^([a-z]+)-(\d+)(?:\.(\d+))?/.exec(base);
  if (!m) return /^archlinux-/.test(base);
  const [major, minor] = [Number(m[2]), Number(m[3] ?? 0)];
  switch (m[1]) {
    case 'debian':
      return major >= 13;
    case 'ubuntu':
      return major > 24 || (major === 24 && minor >= 4);
    case 'fedora':
      return major >= 40;
    case 'archlinux':
      return true;
    default:
      return false;
  }
}

/** The warning text when PVE would print it for this CT (create or start), else undefined. */
export function systemdNestingWarning(state: Pick<ClusterState, 'pveVersion'>, ct: Pick<Container, 'config' | 'ostemplate'>): string | undefined {
  if (!versionAtLeast(state.pveVersion, FIRST_WARNING_VERSION)) return undefined;
  if (ct.config.unprivileged !== 1) return undefined;
  if (/(?:^|,)nesting=1(?:,|$)/.test(String(ct.config.features ?? ''))) return undefined;
  if (!ct.ostemplate || !templateRunsSystemd255(ct.ostemplate)) return undefined;
  return SYSTEMD_NESTING_WARNING;
}
