/**
 * The deploy wizard's data. Channels are not in the contract yet; expected:
 *   `catalog.get` { id } -> CatalogApp (its parameters and minimum resources)
 *   `nodes.list` -> TargetNode[] (free CPU, memory, storage)
 *   `deploy.plan` DeployRequest -> DeployPlan (computed by main, nothing applied: the Review step)
 *   `deploy.start` { planId } -> OperationSummary (progress via `operations.progress`)
 *   `deploy.result` { operationId } -> DeployResult (credentials are returned once, then forgotten by main)
 */
export interface CatalogParameter {
  key: string;
  label: string;
  kind: 'text' | 'number' | 'secret' | 'choice';
  required: boolean;
  defaultValue?: string;
  choices?: string[];
  /** A regular expression (JavaScript syntax) the value must match, from the catalog manifest. */
  pattern?: string;
  hint?: string;
}

export interface CatalogApp {
  id: string;
  name: string;
  parameters: CatalogParameter[];
  minCores: number;
  minMemoryMiB: number;
  minDiskGiB: number;
}

export interface TargetNode {
  node: string;
  freeCores: number;
  freeMemoryMiB: number;
  freeDiskGiB: number;
}

export interface DeployRequest {
  catalogId: string;
  hostname: string;
  params: Record<string, string>;
  cores: number;
  memoryMiB: number;
  diskGiB: number;
  node: string;
}

export interface DeployPlan {
  planId: string;
  node: string;
  vmid: number;
  /** e.g. `vmbr1, 10.77.0.23/24 via the appliance`. */
  network: string;
  ports: { public: number; internal: number };
  proxyRoutes: string[];
  dnsName: string;
  /** What will be created, in order, in the operator's words. */
  steps: string[];
}

export interface DeployResult {
  urls: string[];
  /** Generated credentials: shown once, never stored by the UI. */
  credentials: Array<{ label: string; value: string }>;
  appId: string;
}
