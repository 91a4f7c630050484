// The node facts a container's userland needs to behave as on the real node (issue 12): lxc-pve and ZFS
// versions from the node's packages (apt/versions), the storage type of the root disk, privilege, features.
import type { LabHostFacts } from '../../backend';
import { nodePackageVersions } from './apt-routes';
import type { Container } from './cluster-state';
import { parseProps } from './lxc-config';
import type { ClusterDeps } from './route-kit';

/** Facts for `ct` as its node is configured now (read at create and at every start). */
export function hostFacts(deps: ClusterDeps, ct: Container): LabHostFacts {
  const versions = nodePackageVersions(deps, ct.node);
  const rootfs = String(ct.config.rootfs ?? '');
  const volume = rootfs ? (parseProps(rootfs, 'rootfs').volume ?? '') : '';
  const storage = volume.includes(':') ? volume.slice(0, volume.indexOf(':')) : '';
  const type = deps.state.nodes.get(ct.node)?.storages.get(storage)?.type ?? 'dir';
  return {
    lxcPveVersion: versions['lxc-pve'] ?? '',
    zfsVersion: versions['zfsutils-linux'] ?? '',
    rootfsStorageType: type,
    unprivileged: ct.config.unprivileged === 1 ? 1 : 0,
    features: String(ct.config.features ?? ''),
  };
}
