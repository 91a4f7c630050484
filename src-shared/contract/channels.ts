import { z } from 'zod';
import {
  applianceDaemonSchema,
  applianceLogsInputSchema,
  applianceLogsSchema,
  applianceStatusSchema,
  applianceTargetSchema,
  natTestInputSchema,
  natTestResultSchema,
  proxyStatusSchema,
} from './appliance-schemas';
import type { ChannelName } from './names';
import {
  adoptableGuestSchema,
  adoptInputSchema,
  appDetailSchema,
  appIdInputSchema,
  auditExportInputSchema,
  auditExportSchema,
  catalogDetailSchema,
  catalogSummarySchema,
  commandResultSchema,
  deleteAppInputSchema,
  deployInputSchema,
  runCommandInputSchema,
  safeCommandInfoSchema,
  startedOperationSchema,
} from './app-schemas';
import {
  appSummarySchema,
  auditEntrySchema,
  databaseStatusSchema,
  externalUrlSchema,
  operationSchema,
  operationSummarySchema,
  portAssignmentSchema,
  portRangesSchema,
  systemInfoSchema,
} from './schemas';
import {
  clusterSnapshotSchema,
  connectionAddInputSchema,
  connectionIdInputSchema,
  connectionProbeInputSchema,
  connectionProbeResultSchema,
  connectionRepinInputSchema,
  connectionSchema,
  connectionTestReportSchema,
  connectionUpdateInputSchema,
} from './connection-schemas';

/** One request channel: what the renderer may send and what main promises to answer. */
export interface ChannelSpec {
  input: z.ZodType;
  output: z.ZodType;
}

const noInput = z.object({}).strict();
const operationIdInput = z.object({ id: z.string().min(1).max(100) }).strict();

/**
 * Every request channel, declared once. Objects are strict: an unknown key is a VALIDATION error, never
 * silently dropped. `satisfies Record<ChannelName, ...>` keeps this map and `CHANNEL_NAMES` identical.
 */
export const channels = {
  'system.getInfo': { input: noInput, output: systemInfoSchema },
  'database.getStatus': { input: noInput, output: databaseStatusSchema },
  'apps.list': { input: noInput, output: z.array(appSummarySchema) },
  'ports.list': { input: noInput, output: z.array(portAssignmentSchema) },
  'settings.getPortRanges': { input: noInput, output: portRangesSchema },
  'settings.setPortRanges': { input: portRangesSchema, output: portRangesSchema },
  'audit.list': {
    input: z
      .object({
        limit: z.number().int().min(1).max(500).default(100),
        // Page backwards: entries with an id strictly below this one.
        beforeId: z.number().int().positive().optional(),
      })
      .strict(),
    output: z.array(auditEntrySchema),
  },
  'links.openExternal': {
    input: z.object({ url: externalUrlSchema }).strict(),
    output: z.object({ opened: z.literal(true) }).strict(),
  },
  // Newest first. The log backlog comes with `operations.get` and the `operations.progress` event.
  'operations.list': {
    input: z.object({ limit: z.number().int().min(1).max(500).default(50) }).strict(),
    output: z.array(operationSummarySchema),
  },
  'operations.get': { input: operationIdInput, output: operationSchema },
  // Asks the operation to stop (its AbortSignal fires); it ends `cancelled` once its work has unwound.
  'operations.cancel': { input: operationIdInput, output: operationSummarySchema },
  // Proxmox connection profiles. Outputs never carry a secret (only `hasSecret`).
  'connections.list': { input: noInput, output: z.array(connectionSchema) },
  // First contact: the TLS certificate's and the SSH host key's fingerprints for the operator to confirm.
  'connections.probe': { input: connectionProbeInputSchema, output: connectionProbeResultSchema },
  // Needs the confirmed fingerprints, which are pinned.
  'connections.add': { input: connectionAddInputSchema, output: connectionSchema },
  // Secrets not re-entered are kept.
  'connections.update': { input: connectionUpdateInputSchema, output: connectionSchema },
  'connections.remove': { input: connectionIdInputSchema, output: z.object({ removed: z.literal(true) }).strict() },
  // TCP, TLS pin, auth, privileges, SSH, pct: each ok/failed/skipped, within a bounded total time.
  'connections.test': { input: connectionIdInputSchema, output: connectionTestReportSchema },
  // The operator confirmed a new fingerprint after TLS_FINGERPRINT_MISMATCH / SSH_HOST_KEY_MISMATCH (audited).
  'connections.repin': { input: connectionRepinInputSchema, output: connectionSchema },
  // The live cluster of one connection (read once now when nothing was read yet).
  'cluster.get': { input: z.object({ connectionId: z.string().min(1).max(100) }).strict(), output: clusterSnapshotSchema },
  // Whether a window shows Proximity: live cluster state is polled only while one does.
  'system.setVisible': { input: z.object({ visible: z.boolean() }).strict(), output: z.object({ visible: z.boolean() }).strict() },
  // The network appliance of one node (connectionId: which PVE connection; default the only/active one).
  // Reads the appliance now (container, services, NAT, leases) and says whether apps get the LAN or fall back.
  'appliance.status': { input: applianceTargetSchema, output: applianceStatusSchema },
  // Starts provisioning (bridge, appliance, services) as an operation; follow it with `operations.progress`.
  'appliance.provision': { input: applianceTargetSchema, output: z.object({ operationId: z.string() }).strict() },
  // Restarts dnsmasq and Caddy (or the listed ones) inside the appliance; answers the status after.
  'appliance.restartServices': {
    input: applianceTargetSchema.extend({ services: z.array(applianceDaemonSchema).min(1).max(2).optional() }).strict(),
    output: applianceStatusSchema,
  },
  // The last `lines` (1-500, default 100) lines of dnsmasq's or Caddy's log inside the appliance.
  'appliance.logs': { input: applianceLogsInputSchema, output: applianceLogsSchema },
  // From a container on the appliance LAN, reach a URL through the appliance's NAT.
  'appliance.natTest': { input: natTestInputSchema, output: natTestResultSchema },
  // The node's proxy routes (from the store) and which upstreams answer.
  'proxy.status': { input: applianceTargetSchema, output: proxyStatusSchema },
  // Starts a deployment (an operation: follow it with operations.get / operations.progress); answers at once.
  'apps.deploy': { input: deployInputSchema, output: startedOperationSchema },
  'apps.start': { input: appIdInputSchema, output: startedOperationSchema },
  'apps.stop': { input: appIdInputSchema, output: startedOperationSchema },
  'apps.restart': { input: appIdInputSchema, output: startedOperationSchema },
  // Destroys the container and its data: refused with CONFIRMATION_REQUIRED unless confirmDataLoss is true.
  'apps.delete': { input: deleteAppInputSchema, output: startedOperationSchema },
  'apps.get': { input: appIdInputSchema, output: appDetailSchema },
  'catalog.list': { input: noInput, output: z.array(catalogSummarySchema) },
  'catalog.get': { input: appIdInputSchema, output: catalogDetailSchema },
  // The fixed commands an app offers; there is no channel that runs anything else.
  'commands.list': { input: z.object({ appId: z.string().min(1).max(100) }).strict(), output: z.array(safeCommandInfoSchema) },
  'commands.run': { input: runCommandInputSchema, output: commandResultSchema },
  'audit.export': { input: auditExportInputSchema, output: auditExportSchema },
  // Reconciles with the cluster, then lists containers Proximity did not deploy.
  'apps.adoptable': { input: z.object({ connectionId: z.string().min(1).max(200) }).strict(), output: z.array(adoptableGuestSchema) },
  // Adopts one: ports assigned, Proximity's tags and description written onto it.
  'apps.adopt': { input: adoptInputSchema, output: z.object({ appId: z.string() }).strict() },
} satisfies Record<ChannelName, ChannelSpec>;

export type Channels = typeof channels;
/** What the renderer passes (defaults not yet applied). */
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
/** What a handler receives after parsing (defaults applied). */
export type ParsedChannelInput<C extends ChannelName> = z.output<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;
