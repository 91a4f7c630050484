import { z } from 'zod';
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
