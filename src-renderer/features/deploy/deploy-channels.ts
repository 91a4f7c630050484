import type { DesktopApi } from '../../../src-shared/contract/desktop-api';
import type { IpcError } from '../../../src-shared/contract/errors';
import type { OperationSummary } from '../../../src-shared/contract/schemas';
import type { DeployPlan, DeployRequest, DeployResult } from './deploy-types';

type Answer<T> = Promise<{ ok: true; value: T } | { ok: false; error: IpcError }>;
interface DeployApi {
  plan?: (input: DeployRequest) => Answer<DeployPlan>;
  start?: (input: { planId: string }) => Answer<OperationSummary>;
  result?: (input: { operationId: string }) => Answer<DeployResult>;
}

/** The `deploy.*` methods main offers (none until the deploy engine lands; see deploy-types.ts). */
export function deployApi(api: DesktopApi): DeployApi {
  return ((api as unknown as Record<string, DeployApi | undefined>).deploy ?? {}) as DeployApi;
}

export const DEPLOY_NOT_WIRED = 'Deploying arrives with the deploy engine (not connected yet)';
