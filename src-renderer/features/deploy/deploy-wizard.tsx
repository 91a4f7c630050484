import { useEffect, useState } from 'react';
import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import { ErrorNotice } from '../../components/error-notice';
import { useNavigationStore } from '../navigation/navigation-store';
import { OperationDetails } from '../operations/operation-details';
import { useOperationsStore } from '../operations/operations-store';
import { ConfigureStep } from './configure-step';
import { DEPLOY_NOT_WIRED, deployApi } from './deploy-channels';
import type { CatalogApp, DeployPlan, DeployRequest, DeployResult, TargetNode } from './deploy-types';
import { ResultStep } from './result-step';
import { ReviewStep } from './review-step';

type Step = { at: 'configure' } | { at: 'review'; request: DeployRequest; plan: DeployPlan } | { at: 'deploy'; operationId: string } | { at: 'result'; result: DeployResult };
const TITLES = ['Configure', 'Review', 'Deploy', 'Result'] as const;

/**
 * Configure -> Review -> Deploy -> Result. The deploy step is the operation itself (steps, progress bar, streaming
 * log, cancel; a failure shows the failing step, its log and what was rolled back, from `operations.progress`).
 */
export function DeployWizard({ api, app, nodes }: { api: DesktopApi; app: CatalogApp; nodes: readonly TargetNode[] }) {
  const [step, setStep] = useState<Step>({ at: 'configure' });
  const [error, setError] = useState<IpcError | null>(null);
  const op = useOperationsStore((s) => (step.at === 'deploy' ? s.byId[step.operationId] : undefined));
  const openCanvas = useNavigationStore((s) => s.openCanvas);
  const channels = deployApi(api);
  const index = { configure: 0, review: 1, deploy: 2, result: 3 }[step.at];

  const review = async (request: DeployRequest) => {
    if (!channels.plan) return setError({ code: 'NOT_SUPPORTED', message: `${DEPLOY_NOT_WIRED}.` });
    const r = await channels.plan(request);
    if (r.ok) setStep({ at: 'review', request, plan: r.value });
    setError(r.ok ? null : r.error);
  };
  const deploy = async (plan: DeployPlan) => {
    if (!channels.start) return;
    const r = await channels.start({ planId: plan.planId });
    if (r.ok) setStep({ at: 'deploy', operationId: r.value.id });
    setError(r.ok ? null : r.error);
  };
  const finish = async (operationId: string) => {
    const r = channels.result ? await channels.result({ operationId }) : null;
    if (r?.ok) setStep({ at: 'result', result: r.value });
    else if (r) setError(r.error);
  };

  // A finished deployment moves on to its result (URLs, credentials shown once).
  const succeededId = op?.state === 'succeeded' ? op.id : null;
  useEffect(() => {
    // finish() sets state only once main has answered (an external system), never synchronously here
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (succeededId) void finish(succeededId);
    // eslint-disable-next-line react-hooks/exhaustive-deps -- once per finished operation
  }, [succeededId]);

  return (
    <div className="stack" data-testid="deploy-wizard" data-step={step.at}>
      <ol className="wizard-progress" aria-label="Deploy steps">
        {TITLES.map((t, i) => (
          <li key={t} data-state={i < index ? 'done' : i === index ? 'current' : 'todo'} aria-current={i === index ? 'step' : undefined}>
            <span className="wizard-number">{i + 1}</span>
            {t}
          </li>
        ))}
      </ol>
      {error && <ErrorNotice error={error} testId="deploy-error" />}
      {step.at === 'configure' && <ConfigureStep app={app} nodes={nodes} onReview={(r) => void review(r)} />}
      {step.at === 'review' && (
        <ReviewStep request={step.request} plan={step.plan} onBack={() => setStep({ at: 'configure' })} onDeploy={() => void deploy(step.plan)} deployDisabledReason={channels.start ? undefined : DEPLOY_NOT_WIRED} />
      )}
      {step.at === 'deploy' && op && (
        <OperationDetails api={api} op={op} />
      )}
      {step.at === 'result' && <ResultStep result={step.result} onOpenCanvas={() => openCanvas(step.result.appId)} />}
    </div>
  );
}
