// Named formats that are property strings (registered in Perl with a hash, so the API dump only shows the
// name). Definitions copied from pve-common JSONSchema.pm (prune-backups, bwlimit) and PVE::VZDump::Common
// (backup-performance, backup-fleecing): the vzdump and storage endpoints Proximity calls use them.
import { FormatError } from './formats';

export interface NamedPropertyFormat {
  format: Record<string, any>;
  /** the format's validator, run on the parsed hash (PVE's register_format third argument) */
  validator?: (parsed: Record<string, unknown>) => void;
}

const keep = (what: string) => ({ type: 'integer', minimum: 1, optional: 1, description: `Keep the last <N> ${what}.` });
const bw = { type: 'number', minimum: '0', optional: 1, format_description: 'LIMIT' };

export const NAMED_PROPERTY_FORMATS: Readonly<Record<string, NamedPropertyFormat>> = {
  'prune-backups': {
    format: {
      'keep-all': { type: 'boolean', optional: 1 },
      'keep-last': keep('backups'),
      'keep-hourly': keep('hours'),
      'keep-daily': keep('days'),
      'keep-weekly': keep('weeks'),
      'keep-monthly': keep('months'),
      'keep-yearly': keep('years'),
    },
    validator: (parsed) => {
      const others = Object.entries(parsed).filter(([k, v]) => k !== 'keep-all' && Number(v) > 0);
      if (others.length > 0 && Number(parsed['keep-all'])) {
        throw new FormatError('keep-all cannot be set together with other options.\n');
      }
    },
  },
  'backup-performance': {
    format: {
      'max-workers': { type: 'integer', minimum: 1, maximum: 256, optional: 1 },
      'pbs-entries-max': { type: 'integer', minimum: 1, optional: 1 },
    },
  },
  'backup-fleecing': {
    format: {
      enabled: { type: 'boolean', default_key: 1, optional: 1, default: 0 },
      storage: { type: 'string', format: 'pve-storage-id', optional: 1 },
    },
  },
  bwlimit: { format: { default: bw, restore: bw, migration: bw, clone: bw, move: bw } },
};
