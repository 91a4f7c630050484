// The deployment engine: the seed's flow as a journaled state machine run as an operation, with rollback on
// failure or cancel and recovery at start-up of what a crashed process left.
import { randomUUID } from 'node:crypto';
import { renderCompose } from '../catalog/compose-renderer';
import { ProximityError } from '../errors';
import type { OperationContext } from '../operations/operations';
import { teardownApp, type TeardownTarget } from './app-teardown';
import { DeployJournal, type JournalDeployment } from './deploy-journal';
import { DEFAULT_TEMPLATE, releaseVmid, STEP_IMPLEMENTATIONS, type RunState, type StepServices } from './deploy-steps';
import {
  DEPLOY_STEPS,
  deployRequestSchema,
  STEP_PERCENT,
  type CatalogLookup,
  type DeployConnection,
  type DeployCore,
  type DeployEngineOptions,
  type DeployPlan,
  type DeployRequest,
  type DeployStep,
  type DeployTimings,
} from './deploy-types';
import { NodeSlots } from './node-slots';
import { Preflight } from './preflight';

/** What `deploy` answers at once: the operation to follow, and the ids it will create. */
export interface DeployStarted {
  operationId: string;
  appId: string;
  deploymentId: string;
}

/** Finds the live connection of a profile; throws NOT_FOUND (or a connection error) when it is not connected. */
export type ConnectionLookup = (connectionId: string) => DeployConnection;

const INTERRUPTED = 'OPERATION_INTERRUPTED';

export class DeploymentEngine {
  readonly journal: DeployJournal;
  readonly preflight: Preflight;
  readonly slots: NodeSlots;
  private readonly svc: StepServices;
  /** timings of finished deployments by deployment id (bench, logs); bounded */
  readonly timings = new Map<string, DeployTimings>();

  constructor(
    private readonly core: DeployCore,
    private readonly connections: ConnectionLookup,
    private readonly catalog: CatalogLookup,
    private readonly options: DeployEngineOptions = {},
  ) {
    this.journal = new DeployJournal(core.db, core.now);
    this.preflight = new Preflight(core.now);
    this.slots = new NodeSlots(options.maxCreatesPerNode ?? (() => 2));
    this.svc = {
      core,
      preflight: this.preflight,
      slots: this.slots,
      vmidsInFlight: new Set(),
      downloads: new Map(),
      options: {
        template: options.template ?? DEFAULT_TEMPLATE,
        templateStorage: options.templateStorage ?? 'local',
        maxCreatesPerNode: options.maxCreatesPerNode ?? (() => 2),
        leaseTimeoutMs: options.leaseTimeoutMs ?? 60_000,
        dockerReadyTimeoutMs: options.dockerReadyTimeoutMs ?? 60_000,
        healthTimeoutMs: options.healthTimeoutMs ?? 120_000,
        actor: options.actor ?? (() => 'operator'),
        beforeStep: options.beforeStep,
      },
    };
  }

  /** The node create/destroy cap and the shared services, for lifecycle operations. */
  get services(): StepServices {
    return this.svc;
  }

  /**
   * Validates `input` and starts the deployment as an operation (kind `deploy`, target: the new app's id).
   * Returns at once. Throws before anything is made: VALIDATION (request, resources below the manifest's
   * minimum), NOT_FOUND (catalog app, connection), CATALOG_PARAMETER_INVALID (a parameter fails its rule),
   * CONFLICT (hostname taken). Later failures end the operation `failed` (error names the step) after rollback.
   */
  deploy(input: DeployRequest): DeployStarted {
    const parsed = deployRequestSchema.safeParse(input);
    if (!parsed.success) {
      // names the fields and rules, never the values (a parameter may be a password)
      const why = parsed.error.issues.map((i) => `${i.path.join('.') || 'request'}: ${i.message}`).join('; ');
      throw new ProximityError('VALIDATION', `Invalid deployment request: ${why}.`, { details: { fields: parsed.error.issues.map((i) => i.path.join('.')) } });
    }
    const req = parsed.data;
    const conn = this.connections(req.connectionId);
    const manifest = this.catalog(req.catalogId);
    if (!manifest) throw new ProximityError('NOT_FOUND', `The catalog has no app "${req.catalogId}".`, { details: { catalogId: req.catalogId } });
    const resources = {
      cores: req.resources?.cores ?? manifest.resources.cores.default,
      memory: req.resources?.memory ?? manifest.resources.memory.default,
      disk: req.resources?.disk ?? manifest.resources.disk.default,
    };
    for (const k of ['cores', 'memory', 'disk'] as const) {
      if (resources[k] < manifest.resources[k].min) {
        throw new ProximityError('VALIDATION', `${manifest.name} needs at least ${manifest.resources[k].min} ${k === 'cores' ? 'core(s)' : k === 'memory' ? 'MiB of memory' : 'GiB of disk'}.`, { details: { field: `resources.${k}` } });
      }
    }
    // refuses bad parameter values now, before anything exists (the real render happens in the runtime step)
    renderCompose(manifest, req.params, {}, { deployment: { publicUrl: 'http://192.0.2.1:1', hostname: req.hostname } });
    const appId = randomUUID();
    const deploymentId = randomUUID();
    const name = req.name ?? manifest.name;
    const plan: DeployPlan = { request: req, appId, name, catalogVersion: manifest.version, resources };
    this.core.db.transaction(() => {
      this.core.apps.insert({ id: appId, catalogId: manifest.id, name, hostname: req.hostname, status: 'deploying', connectionId: conn.id });
      this.journal.begin({ id: deploymentId, appId, kind: 'deploy', plan });
    })();
    const op = this.core.operations.start({ kind: 'deploy', title: `Deploy ${name} (${req.hostname})`, target: appId }, (ctx) =>
      this.run({ deploymentId, plan, manifest, conn, op: ctx, waited: { ms: 0 }, detail: () => {} }),
    );
    this.core.db.prepare('UPDATE deployments SET operation_id = ? WHERE id = ?').run(op.id, deploymentId);
    return { operationId: op.id, appId, deploymentId };
  }

  private async run(s: RunState): Promise<void> {
    const started = performance.now();
    let current: DeployStep | null = null;
    try {
      for (const step of DEPLOY_STEPS) {
        current = step;
        s.op.step(step);
        s.op.progress(STEP_PERCENT[step]);
        const seq = this.journal.stepStarted(s.deploymentId, step);
        s.detail = (d) => this.journal.stepDetail(s.deploymentId, seq, d);
        await this.svc.options.beforeStep?.(step, s.deploymentId);
        if (s.op.signal.aborted) throw s.op.signal.reason;
        try {
          await STEP_IMPLEMENTATIONS[step](this.svc, s);
        } catch (e) {
          this.journal.stepEnded(s.deploymentId, seq, 'failed', { error: describe(e) });
          throw e;
        }
        this.journal.stepEnded(s.deploymentId, seq, 'done');
      }
      this.journal.setStatus(s.deploymentId, 'succeeded');
      this.remember(s.deploymentId, { wallMs: performance.now() - started, waitedMs: s.waited.ms });
    } catch (e) {
      if (isCode(s.op.signal.reason, INTERRUPTED)) throw e; // Proximity is quitting: recovery at the next start
      const cancelled = s.op.signal.aborted;
      s.op.log(`${cancelled ? 'Cancelled' : 'Failed'} at step "${current}": ${(e as Error).message}`);
      s.op.log('Rolling back everything this deployment made.');
      s.op.step('rollback');
      await this.rollback(s.deploymentId, s.conn, (l) => s.op.log(l), describe(e));
      if (current) s.op.step(current); // the operation's error names the failing step, not the rollback
      if (cancelled) throw e;
      throw stepError(e, current, s);
    } finally {
      releaseVmid(this.svc, s);
    }
  }

  /**
   * Undoes what the journal says deployment `deploymentId` made (routes, name and lease, container, ports, app
   * row), journaling each part. Ends the deployment `rolled-back`, or `failed` when a part could not be undone
   * (it stays in the journal and the app row is kept, so the next start tries again). Never throws for a part.
   */
  async rollback(deploymentId: string, conn: DeployConnection, log: (line: string) => void, error?: unknown): Promise<boolean> {
    const d = this.journal.get<DeployPlan>(deploymentId);
    if (!d) throw new ProximityError('NOT_FOUND', `No deployment ${deploymentId} in the journal.`);
    this.journal.setStatus(deploymentId, 'rolling-back', error);
    const target = teardownTargetOf(d);
    try {
      await teardownApp(target, {
        core: this.core,
        conn,
        slots: this.slots,
        actor: this.svc.options.actor(),
        log,
        signal: AbortSignal.timeout(10 * 60_000),
        journal: async (part, work) => {
          const seq = this.journal.stepStarted(deploymentId, `undo ${part}`);
          try {
            await work();
            this.journal.stepEnded(deploymentId, seq, 'done');
          } catch (e) {
            this.journal.stepEnded(deploymentId, seq, 'failed', { error: describe(e) });
            throw e;
          }
        },
      });
      this.journal.setStatus(deploymentId, 'rolled-back');
      this.core.audit.append({ actor: this.svc.options.actor(), action: 'apps.deploy', target: target.appId, details: { result: 'rolled-back', deploymentId, error: error ?? null } });
      return true;
    } catch (e) {
      log(`Rollback incomplete: ${(e as Error).message}. Proximity tries again at its next start.`);
      if (this.core.apps.get(target.appId)) this.core.apps.place(target.appId, { status: 'failed' });
      this.journal.setStatus(deploymentId, 'running', describe(e)); // left for recovery
      return false;
    }
  }

  /**
   * Start-up recovery: every deployment the journal shows unfinished whose process is gone is rolled back (a
   * run whose last step `record` finished is marked succeeded instead), each as an operation (kind `recover`).
   * Deployments of connections not connected yet are left for a later call. Returns the operation ids.
   */
  recover(): string[] {
    const ids: string[] = [];
    for (const d of this.journal.unfinished<DeployPlan>()) {
      if (d.ownerPid !== null && d.ownerPid !== process.pid && processIsAlive(d.ownerPid)) continue;
      if (d.ownerPid === process.pid && this.isLive(d)) continue;
      const record = d.steps.find((st) => st.step === 'record');
      if (record?.status === 'done') {
        this.journal.setStatus(d.id, 'succeeded');
        continue;
      }
      let conn: DeployConnection;
      try {
        conn = this.connections(d.plan.request.connectionId);
      } catch {
        continue;
      }
      this.journal.claim(d.id);
      const op = this.core.operations.start({ kind: 'recover', title: `Recover interrupted deployment of ${d.plan.name}`, target: d.plan.appId }, async (ctx: OperationContext) => {
        ctx.log(`Deployment ${d.id} stopped at step "${lastStep(d)}" when Proximity stopped; rolling it back.`);
        ctx.step('rollback');
        const ok = await this.rollback(d.id, conn, (l) => ctx.log(l), { code: INTERRUPTED, message: 'Proximity stopped during this deployment.' });
        if (!ok) throw new ProximityError('DEPLOY_FAILED', `The interrupted deployment of ${d.plan.name} could not be rolled back completely; see its log.`);
      });
      ids.push(op.id);
    }
    return ids;
  }

  private isLive(d: JournalDeployment): boolean {
    return d.operationId !== null && this.core.operations.get(d.operationId)?.state === 'running';
  }

  private remember(id: string, t: DeployTimings): void {
    this.timings.set(id, t);
    if (this.timings.size > 1000) this.timings.delete(this.timings.keys().next().value!);
  }
}

/** What to tear down for a journaled deployment: only what its steps got to (journaled before acting). */
export function teardownTargetOf(d: JournalDeployment<DeployPlan>): TeardownTarget {
  const detail = (step: string) => d.steps.find((s) => s.step === step)?.detail ?? {};
  const reached = (step: string) => d.steps.some((s) => s.step === step);
  const created = detail('create');
  const node = (created.node as string | undefined) ?? (detail('template').node as string | undefined);
  const mode = detail('template').mode;
  return {
    mode: mode === 'appliance' || mode === 'fallback' ? mode : undefined,
    appId: d.plan.appId,
    node,
    vmid: typeof created.vmid === 'number' ? created.vmid : undefined,
    registered: reached('register'),
    published: reached('publish'),
  };
}

function lastStep(d: JournalDeployment): string {
  return d.steps.filter((s) => !s.step.startsWith('undo')).at(-1)?.step ?? 'none';
}

function describe(e: unknown): { code: string; message: string } {
  return { code: e instanceof ProximityError ? e.code : 'INTERNAL', message: e instanceof Error ? e.message : String(e) };
}

function isCode(reason: unknown, code: string): boolean {
  return reason instanceof ProximityError && reason.code === code;
}

/** The error a failed deployment ends with: the original code, the step named, and the step's log lines. */
function stepError(e: unknown, step: DeployStep | null, s: RunState): ProximityError {
  const code = e instanceof ProximityError ? e.code : 'DEPLOY_FAILED';
  const n = step ? DEPLOY_STEPS.indexOf(step) + 1 : 0;
  return new ProximityError(code, `Deploying ${s.plan.name} failed at step ${n}/8 "${step}": ${(e as Error).message} Everything it had made was rolled back.`, {
    details: { step, deploymentId: s.deploymentId, cause: e instanceof ProximityError ? e.details : undefined },
    cause: e,
  });
}

function processIsAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}
