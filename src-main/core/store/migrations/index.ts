import type { Migration } from './migration';
import { migration001 } from './001-base-tables';
import { migration002 } from './002-audit-and-settings';
import { migration003 } from './003-deployment-journal';
import { migration004 } from './004-operations';
import { migration005 } from './005-ssh-host-keys';
import { migration006 } from './006-connection-ssh-auth-kind';
import { migration007 } from './007-app-deployments';

export type { Migration };

/** Every migration, in order. Append new ones at the end; versions must be 1..n without gaps. */
export const MIGRATIONS: readonly Migration[] = [migration001, migration002, migration003, migration004, migration005, migration006, migration007];

export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;
