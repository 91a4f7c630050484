import { Rocket } from 'lucide-react';
import { Button } from '../../components/button';
import type { DeployPlan, DeployRequest } from './deploy-types';

/** Review: exactly what will happen before anything is applied (main computed it with `deploy.plan`). */
export function ReviewStep({ request, plan, onBack, onDeploy, deployDisabledReason }: { request: DeployRequest; plan: DeployPlan; onBack(): void; onDeploy(): void; deployDisabledReason?: string }) {
  const rows: Array<[string, string]> = [
    ['Node', plan.node],
    ['Container (VMID)', String(plan.vmid)],
    ['Resources', `${request.cores} CPU, ${request.memoryMiB} MiB memory, ${request.diskGiB} GiB disk`],
    ['Network', plan.network],
    ['Ports', `public ${plan.ports.public}, canvas ${plan.ports.internal}`],
    ['Proxy routes', plan.proxyRoutes.join(', ') || 'none'],
    ['DNS name', plan.dnsName],
  ];
  return (
    <div className="stack" data-testid="deploy-review-step">
      <div className="card">
        <dl>
          {rows.map(([label, value]) => (
            <div className="field" key={label}>
              <dt>{label}</dt>
              <dd className="mono" data-testid={`plan-${label.toLowerCase().replace(/[^a-z]+/g, '-')}`}>
                {value}
              </dd>
            </div>
          ))}
        </dl>
      </div>
      <div>
        <h2 className="field-label">What Proximity will do</h2>
        <ol className="step-list" data-testid="plan-steps">
          {plan.steps.map((s) => (
            <li key={s}>{s}</li>
          ))}
        </ol>
      </div>
      <div className="form-actions">
        <Button onClick={onBack}>Back</Button>
        <Button variant="primary" icon={<Rocket size={15} aria-hidden />} onClick={onDeploy} disabled={deployDisabledReason !== undefined} title={deployDisabledReason} data-testid="deploy-start">
          Deploy
        </Button>
      </div>
    </div>
  );
}
