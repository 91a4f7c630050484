import type { AppSummary } from '../../../src-shared/contract/schemas';

export interface AccessUrl {
  label: string;
  url: string;
}

/**
 * The URLs an operator opens an app at: `http://<appliance address>:<public port>/`. The appliance's address
 * comes from the infrastructure store (expected channel `appliance.getStatus`); null until it is known, and
 * then there is no URL to show (never a guessed one).
 */
export function accessUrlsOf(app: Pick<AppSummary, 'ports'>, applianceAddress: string | null): AccessUrl[] {
  if (!app.ports || !applianceAddress) return [];
  return [{ label: 'Public', url: `http://${applianceAddress}:${app.ports.public}/` }];
}
