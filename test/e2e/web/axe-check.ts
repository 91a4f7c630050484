import axe from 'axe-core';
import type { Page } from 'playwright-core';

type AxeResult = { id: string; impact: string | null; help: string; nodes: Array<{ target: unknown[] }> };

/**
 * Runs axe-core on the page (loaded through CDP, which the page's CSP does not govern) and returns the serious
 * and critical violations as readable lines (rule, impact, help, where). Radix's focus guards are excluded.
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const violations = await page.evaluate(async () => {
    const run = (globalThis as unknown as { axe: { run(ctx: unknown, opts: unknown): Promise<{ violations: AxeResult[] }> } }).axe.run;
    return (await run({ exclude: [['[data-radix-focus-guard]']] }, { resultTypes: ['violations'] })).violations;
  });
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help} at ${v.nodes.map((n) => JSON.stringify(n.target)).join(', ')}`);
}
