import { create } from 'zustand';
import type { CatalogApp, TargetNode } from './deploy-types';

/**
 * The app being deployed and the nodes it may go to. Filled from `catalog.get` and `nodes.list` once main has
 * them (see deploy-types.ts); while `app` is null the Deploy screen explains the steps instead of the wizard.
 */
export interface DeployState {
  app: CatalogApp | null;
  nodes: TargetNode[];
  begin(app: CatalogApp, nodes: TargetNode[]): void;
  reset(): void;
}

/** The app being deployed and its candidate nodes. */
export const useDeployStore = create<DeployState>((set) => ({
  app: null,
  nodes: [],
  begin: (app, nodes) => set({ app, nodes }),
  reset: () => set({ app: null, nodes: [] }),
}));
