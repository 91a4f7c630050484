import { ProximityError } from '../../core/errors';
import type { AppSummary, AuditEntry, DatabaseStatus, PortAssignment, PortRanges } from '../../../src-shared/contract/schemas';
import type { Connection } from '../../../src-shared/contract/connection-schemas';
import type { CoreAuditEntry, CoreConnection, CoreDbStatus, CoreForIpc, CorePortAssignment, CorePortRanges } from '../handler-types';

// Core objects -> contract shapes. Spelled out field by field (no spreading) so a new core field never
// reaches the renderer by accident, and a renamed one fails to compile here.

export function toDatabaseStatus(s: CoreDbStatus): DatabaseStatus {
  return {
    path: s.path,
    schemaVersion: s.schemaVersion,
    latestVersion: s.latestVersion,
    journalMode: s.journalMode,
    foreignKeys: s.foreignKeys,
    integrity: s.integrity,
    sizeBytes: s.sizeBytes,
  };
}

export function toPortRanges(r: CorePortRanges): PortRanges {
  return {
    public: { start: r.public.start, end: r.public.end },
    internal: { start: r.internal.start, end: r.internal.end },
  };
}

export function toPortAssignment(a: CorePortAssignment): PortAssignment {
  return { appId: a.appId, public: a.publicPort, internal: a.internalPort, assignedAt: a.assignedAt };
}

export function toAuditEntry(e: CoreAuditEntry): AuditEntry {
  return { id: e.id, at: e.at, actor: e.actor, action: e.action, target: e.target, details: e.details };
}

/** One app with its port pair; NOT_FOUND when unknown. */
export function appSummaryOf(core: CoreForIpc, id: string): AppSummary {
  const app = listAppSummaries(core).find((a) => a.id === id);
  if (!app) throw new ProximityError('NOT_FOUND', `No app with id ${id}.`, { details: { id } });
  return app;
}

/** Apps joined with their port pair (one query each; the lists are small). */
export function listAppSummaries(core: CoreForIpc): AppSummary[] {
  const ports = new Map(core.ports.list().map((p) => [p.appId, p] as const));
  return core.apps.list().map((app) => {
    const pair = ports.get(app.id);
    return {
      id: app.id,
      catalogId: app.catalogId,
      name: app.name,
      hostname: app.hostname,
      node: app.node,
      vmid: app.vmid,
      status: app.status,
      ports: pair ? { public: pair.publicPort, internal: pair.internalPort } : null,
    };
  });
}

/** A saved connection without its secrets: only that they are stored (`hasSecret`). */
export function toConnection(c: CoreConnection): Connection {
  const at = c.authId.lastIndexOf('@');
  return {
    id: c.id,
    name: c.name,
    host: c.host,
    port: c.port,
    auth: c.authKind === 'token' ? { kind: 'token', tokenId: c.authId } : { kind: 'password', user: c.authId.slice(0, at), realm: c.authId.slice(at + 1) },
    hasSecret: true,
    tlsFingerprint: c.tlsFingerprint,
    ssh: c.ssh
      ? { host: c.ssh.host, port: c.ssh.port, user: c.ssh.user, authKind: c.ssh.authKind, hasSecret: c.ssh.hasSecret, hostKeyFingerprint: c.ssh.hostKeyFingerprint }
      : null,
    createdAt: c.createdAt,
    updatedAt: c.updatedAt,
  };
}
