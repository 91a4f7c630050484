import { ProximityError } from '../core/errors';
import { channels } from '../../src-shared/contract/channels';
import { ERROR_CODES } from '../../src-shared/contract/errors';
import { isChannelName } from '../../src-shared/contract/names';
import type { ChannelName } from '../../src-shared/contract/names';
import { err, ok } from '../../src-shared/contract/result';
import type { Result } from '../../src-shared/contract/result';
import type { Handler, Handlers } from './handler-types';
import type { SenderInfo, SenderPolicy } from './sender-policy';

export interface DispatcherOptions {
  policy: SenderPolicy;
  /** Check every handler's output against the contract. On by default outside production. */
  validateOutput?: boolean;
  logger?: { error(message: string, error?: unknown): void; warn?(message: string): void };
}

export interface Dispatcher {
  /**
   * Runs one request through sender check -> channel lookup -> input parse -> handler -> Result. `signal`
   * (handed to the handler as `ctx.signal`) aborts when the caller's transport goes away; default: never.
   */
  dispatch(channel: unknown, input: unknown, sender: SenderInfo, signal?: AbortSignal): Promise<Result<unknown>>;
  /** True when the sender may talk to main at all (used for event subscriptions). */
  allows(sender: SenderInfo): boolean;
}

/**
 * The ONE wrapper every IPC request goes through, from Electron and from the `npm run web` bridge alike.
 * It never throws: whatever happens, the caller gets a Result. Unexpected errors are logged here with
 * their stack and reach the renderer only as INTERNAL, so no internals leak.
 */
export function createDispatcher(handlers: Handlers, options: DispatcherOptions): Dispatcher {
  const validateOutput = options.validateOutput ?? process.env.NODE_ENV !== 'production';
  const logger = options.logger ?? console;

  const allows = (sender: SenderInfo): boolean => {
    try {
      return options.policy(sender) === true;
    } catch (e) {
      logger.error('[ipc] sender policy threw; refusing', e);
      return false;
    }
  };

  async function dispatch(channel: unknown, rawInput: unknown, sender: SenderInfo, signal?: AbortSignal): Promise<Result<unknown>> {
    if (!allows(sender)) {
      logger.warn?.(`[ipc] refused ${channelText(channel)} from ${sender.isTopFrame ? 'top frame' : 'subframe'} ${sender.url.slice(0, 200)}`);
      return err('FORBIDDEN_SENDER', 'This frame may not call Proximity.');
    }
    if (!isChannelName(channel)) {
      return err('UNKNOWN_CHANNEL', `Unknown channel: ${channelText(channel)}`);
    }
    const spec = channels[channel];
    const parsed = spec.input.safeParse(rawInput);
    if (!parsed.success) {
      return err('VALIDATION', `Invalid input for ${channel}: ${parsed.error.issues.map(describeIssue).join('; ')}`, {
        issues: parsed.error.issues.map((i) => ({ path: i.path.map(String), code: i.code, message: i.message })),
      });
    }
    let output: unknown;
    try {
      const handler = handlers[channel] as Handler<ChannelName>;
      output = await handler(parsed.data as never, { channel, sender, signal: signal ?? NEVER_ABORTED });
    } catch (e) {
      return errorToResult(channel, e, logger);
    }
    if (validateOutput) {
      const checked = spec.output.safeParse(output);
      if (!checked.success) {
        logger.error(`[ipc] ${channel} returned output that breaks the contract`, checked.error);
        return err('INTERNAL', `Internal error in ${channel}.`);
      }
      output = checked.data;
    }
    return ok(output);
  }

  return { dispatch, allows };
}

// A signal for callers that have no transport lifetime to tie a request to.
const NEVER_ABORTED = new AbortController().signal;

/** A requested channel name for a message, at most 80 characters; never throws (String() can, on objects). */
function channelText(channel: unknown): string {
  return typeof channel === 'string' ? channel.slice(0, 80) : `(a ${typeof channel}, not a name)`;
}

function describeIssue(issue: { path: PropertyKey[]; message: string }): string {
  return issue.path.length ? `${issue.path.map(String).join('.')}: ${issue.message}` : issue.message;
}

// SQLite failures the operator can act on (another process holds the lock, disk full, read-only or damaged
// file). Their messages are SQLite's fixed texts ("database is locked"), which name no path and no data.
// Anything else from SQLite (a constraint, a bad statement) is a bug in main and stays INTERNAL.
const OPERATOR_SQLITE_CODE = /^SQLITE_(BUSY|LOCKED|FULL|READONLY|IOERR|CORRUPT|NOTADB|CANTOPEN|PERM)(_|$)/;

function errorToResult(channel: ChannelName, e: unknown, logger: NonNullable<DispatcherOptions['logger']>) {
  if (e instanceof ProximityError && (ERROR_CODES as readonly string[]).includes(e.code)) {
    return err(e.code, e.message, cloneableDetails(e.details));
  }
  logger.error(`[ipc] ${channel} failed`, e);
  const sqliteCode = e instanceof Error && e.name === 'SqliteError' ? (e as { code?: unknown }).code : undefined;
  if (typeof sqliteCode === 'string' && OPERATOR_SQLITE_CODE.test(sqliteCode)) {
    return err('DB_ERROR', `The database refused ${channel}: ${e instanceof Error ? e.message : ''} (${sqliteCode}).`, { sqliteCode });
  }
  return err('INTERNAL', `Internal error in ${channel}.`);
}

/** Details cross a structured-clone/JSON boundary; anything that cannot (functions, cycles) is dropped. */
function cloneableDetails(details: unknown): unknown {
  if (details === undefined) return undefined;
  try {
    return JSON.parse(JSON.stringify(details)) as unknown;
  } catch {
    return undefined;
  }
}
