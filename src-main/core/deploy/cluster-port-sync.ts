// Two desktops managing one cluster must never hand out the same port: before allocating, every Proximity
// container found in the cluster (by its tags) that this store does not know is recorded here with its ports,
// so the allocator treats them as taken. It is also how reconciliation re-adopts them.
import { ProximityError } from '../errors';
import { hostnameLabelSchema } from '../network/strict-values';
import type { ClusterResource } from '../pve/nodes';
import { parseTags } from './app-spec';
import type { DeployCore } from './deploy-types';

export interface AdoptedApp {
  appId: string;
  vmid: number;
  node: string;
  hostname: string;
  ports: { public: number; internal: number };
}

/**
 * Records every tagged Proximity guest of `resources` whose app id this store does not know: an app row (status
 * from PVE, `running`/`stopped`) and its port pair. A guest whose ports collide with ports assigned here is
 * reported in `conflicts` and not adopted (the operator decides). Returns what was adopted.
 */
export function adoptTaggedGuests(core: DeployCore, connectionId: string, resources: readonly ClusterResource[], actor = 'system'): { adopted: AdoptedApp[]; conflicts: string[] } {
  const adopted: AdoptedApp[] = [];
  const conflicts: string[] = [];
  for (const r of resources) {
    if ((r.type !== 'lxc' && r.type !== 'qemu') || r.vmid === undefined || !r.node) continue;
    const tagged = parseTags(r.tags);
    if (!tagged || core.apps.get(tagged.appId)) continue;
    const label = hostnameLabelSchema.safeParse(r.name);
    let hostname = label.success ? label.data : `${tagged.catalogId}-${r.vmid}`;
    if (core.apps.byHostname(hostname)) hostname = `${tagged.catalogId}-${r.vmid}`;
    try {
      core.db.transaction(() => {
        core.apps.insert({
          id: tagged.appId,
          catalogId: tagged.catalogId,
          name: r.name ?? tagged.catalogId,
          hostname,
          node: r.node,
          vmid: r.vmid,
          status: r.status === 'running' ? 'running' : 'stopped',
          connectionId,
        });
        core.ports.adopt(tagged.appId, { publicPort: tagged.ports.public, internalPort: tagged.ports.internal }, actor);
      })();
      adopted.push({ appId: tagged.appId, vmid: r.vmid, node: r.node, hostname, ports: tagged.ports });
    } catch (e) {
      if (!(e instanceof ProximityError) || e.code !== 'CONFLICT') throw e;
      conflicts.push(`CT ${r.vmid} on ${r.node} (${r.name ?? tagged.catalogId}): ${e.message}`);
    }
  }
  return { adopted, conflicts };
}
