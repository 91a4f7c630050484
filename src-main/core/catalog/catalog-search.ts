import type { Manifest } from './manifest-schema';

/** The fields search looks at; a {@link Manifest} satisfies it. */
export type SearchableApp = Pick<Manifest, 'id' | 'name' | 'description' | 'category' | 'tags'>;

export interface CatalogQuery {
  /** Free text, matched case-insensitively against name, id, tags and description (every word must match). */
  text?: string;
  /** Exact category (case-insensitive). */
  category?: string;
  /** Every listed tag must be present. */
  tags?: readonly string[];
}

function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}+/gu, '').toLowerCase();
}

/** How well `app` matches one word: 0 = no match, higher is better (name start > name > tag > description). */
function wordScore(app: SearchableApp, word: string): number {
  const name = fold(app.name);
  if (name.startsWith(word) || fold(app.id).startsWith(word)) return 8;
  if (name.includes(word)) return 4;
  if (app.tags.some((t) => t.includes(word))) return 2;
  if (fold(app.description).includes(word) || fold(app.category).includes(word)) return 1;
  return 0;
}

/**
 * Filters and ranks apps: category and tags filter; text words must all match and rank the result (best first,
 * ties by name). An empty query returns every app sorted by name. Pure; the input is not modified.
 */
export function searchCatalog<T extends SearchableApp>(apps: readonly T[], query: CatalogQuery = {}): T[] {
  const category = query.category ? fold(query.category) : undefined;
  const tags = (query.tags ?? []).map(fold);
  const words = fold(query.text ?? '').split(/\s+/).filter(Boolean);
  const scored: { app: T; score: number }[] = [];
  for (const app of apps) {
    if (category !== undefined && fold(app.category) !== category) continue;
    if (!tags.every((t) => app.tags.includes(t))) continue;
    let score = 0;
    let all = true;
    for (const w of words) {
      const s = wordScore(app, w);
      if (s === 0) {
        all = false;
        break;
      }
      score += s;
    }
    if (all) scored.push({ app, score });
  }
  return scored.sort((a, b) => b.score - a.score || a.app.name.localeCompare(b.app.name)).map((s) => s.app);
}

/** Each category with its number of apps, sorted by name. */
export function catalogCategories(apps: readonly SearchableApp[]): { category: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const a of apps) counts.set(a.category, (counts.get(a.category) ?? 0) + 1);
  return [...counts].map(([category, count]) => ({ category, count })).sort((a, b) => a.category.localeCompare(b.category));
}

/** Each tag with its number of apps, most used first (ties by name). */
export function catalogTags(apps: readonly SearchableApp[]): { tag: string; count: number }[] {
  const counts = new Map<string, number>();
  for (const a of apps) for (const t of a.tags) counts.set(t, (counts.get(t) ?? 0) + 1);
  return [...counts].map(([tag, count]) => ({ tag, count })).sort((a, b) => b.count - a.count || a.tag.localeCompare(b.tag));
}
