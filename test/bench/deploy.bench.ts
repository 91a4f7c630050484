// The deployment engine against the lab (netns backend, instant tasks, fallback mode): one deployment, then ten
// at once. Prints Proximity's own time per deployment (wall time minus waiting on PVE tasks, the lease, commands
// inside the container and the health check), PVE requests per deployment, and ten-at-once vs one.
import { startDeployRig, CONNECTION_ID, type DeployRig } from '../lab/e2e/deploy/deploy-fixture';
import { canRunNetns, startE2eLab, ALPINE, type E2eLab } from '../lab/e2e/lab-fixture';
import { reportBench } from './bench-report';

export const benchTags = ['deploy', 'lab'];

async function deployMany(rig: DeployRig, prefix: string, n: number): Promise<{ wallMs: number; ownMs: number[]; requests: number }> {
  const requests0 = rig.pve.requestCount;
  const t0 = performance.now();
  const started = Array.from({ length: n }, (_, i) => rig.engine.deploy({ connectionId: CONNECTION_ID, catalogId: i % 2 ? 'it-tools' : 'homer', hostname: `${prefix}-${i}` }));
  const ops = await Promise.all(started.map((s) => rig.core.operations.settled(s.operationId)));
  const wallMs = performance.now() - t0;
  for (const op of ops) if (op.state !== 'succeeded') throw new Error(`deployment ${op.title} ${op.state}: ${op.error?.message}`);
  const ownMs = started.map((s) => {
    const t = rig.engine.timings.get(s.deploymentId)!;
    return t.wallMs - t.waitedMs;
  });
  if (process.env.DEPLOY_BENCH_STEPS) {
    const per = new Map<string, number[]>();
    for (const st of started.flatMap((x) => rig.engine.journal.get(x.deploymentId)!.steps)) {
      per.set(st.step, [...(per.get(st.step) ?? []), Date.parse(st.finishedAt!) - Date.parse(st.startedAt)]);
    }
    console.log(`# ${prefix}: ${[...per].map(([k, v]) => `${k} ${Math.round(mean(v))} ms`).join(', ')}`);
  }
  return { wallMs, ownMs, requests: rig.pve.requestCount - requests0 };
}

const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

export default async function benchDeploy(): Promise<void> {
  if (!canRunNetns) {
    console.log('# deploy: skipped (needs Linux, root, bwrap, dnsmasq, busybox)');
    return;
  }
  let e: E2eLab | undefined;
  let rig: DeployRig | undefined;
  try {
    e = await startE2eLab();
    const dl = await e.sh(`pveam download local ${ALPINE}`, { timeoutMs: 60_000 });
    if (dl.code !== 0) throw new Error(`template download failed: ${dl.stderr}`);
    rig = await startDeployRig(e, { engine: { maxCreatesPerNode: () => 2 } });
    await deployMany(rig, 'warm', 1); // preflight (cached per node) and first connections
    const one = await deployMany(rig, 'one', 1);
    const ten = await deployMany(rig, 'ten', 10);
    reportBench('deploy.own-time-per-deployment (1)', Math.round(one.ownMs[0]!), 'ms', '< 150 ms');
    reportBench('deploy.own-time-per-deployment (10 at once, mean)', Math.round(mean(ten.ownMs)), 'ms', '< 150 ms');
    reportBench('deploy.pve-requests-per-deployment (1)', one.requests, 'requests', '<= 25');
    reportBench('deploy.pve-requests-per-deployment (10 at once)', Math.round((ten.requests / 10) * 10) / 10, 'requests', '<= 25');
    reportBench('deploy.wall (1)', Math.round(one.wallMs), 'ms', 'baseline');
    reportBench('deploy.wall (10 at once)', Math.round(ten.wallMs), 'ms', 'baseline');
    reportBench('deploy.ten-at-once-vs-one', Math.round((ten.wallMs / one.wallMs) * 100) / 100, 'x', '< 2');
  } finally {
    await rig?.close();
    await e?.close();
  }
}
