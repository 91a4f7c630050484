import type { ManifestInput } from '../../../src-main/core/catalog/manifest-schema';

/** A small valid manifest (an app and its database) that tests copy and break one field at a time. */
export function sampleManifest(): ManifestInput {
  return {
    format: 1,
    id: 'notes',
    name: 'Notes',
    description: 'A notes app with a database.',
    version: '1.2.3',
    category: 'Productivity',
    tags: ['notes'],
    website: 'https://example.org',
    icon: 'icon.svg',
    compose: {
      services: {
        app: {
          image: 'example/notes:1.2.3',
          restart: 'unless-stopped',
          depends_on: ['db'],
          environment: { DB_HOST: 'db', DB_USER: 'notes' },
          volumes: ['notes-data:/data'],
        },
        db: {
          image: 'postgres:16.6-alpine',
          environment: { POSTGRES_USER: 'notes' },
          volumes: ['notes-db:/var/lib/postgresql/data'],
        },
      },
      volumes: { 'notes-data': {}, 'notes-db': null },
    },
    expose: { service: 'app', port: 8080 },
    health: { path: '/health' },
    resources: { cores: { default: 1, min: 1 }, memory: { default: 512, min: 256 }, disk: { default: 4, min: 1 } },
    parameters: [
      { id: 'title', label: 'Title', type: 'string', default: 'My notes', maxLength: 4096, fills: [{ service: 'app', env: 'TITLE' }] },
      { id: 'motd', label: 'Message of the day', type: 'string', required: false, maxLength: 4096, fills: [{ service: 'app', env: 'MOTD' }] },
      { id: 'workers', label: 'Workers', type: 'number', default: 2, min: 1, max: 16, fills: [{ service: 'app', env: 'WORKERS' }] },
      { id: 'signups', label: 'Sign-ups', type: 'boolean', default: false, fills: [{ service: 'app', env: 'SIGNUPS' }] },
      { id: 'theme', label: 'Theme', type: 'choice', choices: ['light', 'dark'], default: 'dark', fills: [{ service: 'app', env: 'THEME' }] },
      {
        id: 'db-password',
        label: 'Database password',
        type: 'password',
        generate: { length: 32, alphabet: 'alphanumeric' },
        fills: [
          { service: 'app', env: 'DATABASE_URL', template: 'postgres://notes:{value}@db/notes' },
          { service: 'db', env: 'POSTGRES_PASSWORD' },
        ],
      },
      { id: 'admin-password', label: 'Admin password', type: 'password', minLength: 12, fills: [{ service: 'app', env: 'ADMIN_PASSWORD' }] },
    ],
    deploymentValues: [{ value: 'public-url', fills: [{ service: 'app', env: 'BASE_URL' }] }],
    notes: 'Log in as admin.',
  };
}
