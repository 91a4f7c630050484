import { describe, expect, it } from 'vitest';
import { catalogCategories, catalogTags, searchCatalog, type SearchableApp } from '../../../src-main/core/catalog/catalog-search';

const apps: SearchableApp[] = [
  { id: 'gitea', name: 'Gitea', description: 'Git hosting', category: 'Development', tags: ['git', 'ci'] },
  { id: 'grafana', name: 'Grafana', description: 'Dashboards for metrics', category: 'Monitoring', tags: ['dashboards', 'metrics'] },
  { id: 'uptime-kuma', name: 'Uptime Kuma', description: 'Uptime monitoring with status pages', category: 'Monitoring', tags: ['uptime'] },
  { id: 'homer', name: 'Homer', description: 'Static homepage', category: 'Dashboards', tags: ['dashboards'] },
  { id: 'n8n', name: 'n8n', description: 'Workflow automation (Zapier-like)', category: 'Automation', tags: ['automation'] },
  { id: 'freshrss', name: 'FreshRSS', description: 'Feed reader, café-friendly', category: 'Reading', tags: ['rss'] },
];
const ids = (list: SearchableApp[]) => list.map((a) => a.id);

describe('searchCatalog', () => {
  it('returns everything by name for an empty query', () => {
    expect(ids(searchCatalog(apps))).toEqual(['freshrss', 'gitea', 'grafana', 'homer', 'n8n', 'uptime-kuma']);
  });

  it('ranks name prefixes above name, tag and description matches', () => {
    expect(ids(searchCatalog(apps, { text: 'dash' }))).toEqual(['grafana', 'homer']);
    // Name prefixes first; a one-letter query still finds the descriptions and tags holding it, after them.
    expect(ids(searchCatalog(apps, { text: 'g' })).slice(0, 2)).toEqual(['gitea', 'grafana']);
    expect(ids(searchCatalog(apps, { text: 'kuma' }))).toEqual(['uptime-kuma']);
    expect(ids(searchCatalog(apps, { text: 'monitoring' }))).toEqual(['grafana', 'uptime-kuma']);
  });

  it('requires every word, ignoring case and accents', () => {
    expect(ids(searchCatalog(apps, { text: 'UPTIME status' }))).toEqual(['uptime-kuma']);
    expect(ids(searchCatalog(apps, { text: 'uptime git' }))).toEqual([]);
    expect(ids(searchCatalog(apps, { text: 'cafe' }))).toEqual(['freshrss']);
  });

  it('filters by category and by every given tag', () => {
    expect(ids(searchCatalog(apps, { category: 'monitoring' }))).toEqual(['grafana', 'uptime-kuma']);
    expect(ids(searchCatalog(apps, { tags: ['dashboards'] }))).toEqual(['grafana', 'homer']);
    expect(ids(searchCatalog(apps, { tags: ['dashboards', 'metrics'] }))).toEqual(['grafana']);
    expect(ids(searchCatalog(apps, { category: 'Dashboards', text: 'homer' }))).toEqual(['homer']);
    expect(ids(searchCatalog(apps, { category: 'Nope' }))).toEqual([]);
  });

  it('lists categories and tags with counts', () => {
    expect(catalogCategories(apps)).toEqual([
      { category: 'Automation', count: 1 },
      { category: 'Dashboards', count: 1 },
      { category: 'Development', count: 1 },
      { category: 'Monitoring', count: 2 },
      { category: 'Reading', count: 1 },
    ]);
    expect(catalogTags(apps)[0]).toEqual({ tag: 'dashboards', count: 2 });
  });
});
