// PVE-CLIHandler-style argument parsing: fixed positional arguments first, then `-opt value` / `--opt value`
// / `--opt=value` options; a boolean flag may stand alone (`--verbose`). Errors read like PVE's.
import { CliDie } from './cli-types.js';

export interface ParsedArgs {
  positional: string[];
  options: Record<string, string | string[]>;
  /** everything after a literal `--` (pct exec) */
  rest: string[];
}

export interface ParseSpec {
  /** usage line printed after a parameter error, e.g. `pct status <vmid> [OPTIONS]` */
  usage: string;
  positional: string[];
  /** allowed option names; undefined = any (pct set passes everything to the API schema) */
  options?: string[];
  /** options that may appear without a value */
  booleans?: string[];
  /** options that may repeat (become arrays) */
  repeatable?: string[];
}

export function paramError(usage: string, errors: Record<string, string>): CliDie {
  const lines = Object.entries(errors).map(([k, v]) => `${k}: ${v}`);
  return new CliDie(`400 Parameter verification failed.\n${lines.join('\n')}\n${usage}\n`);
}

export function parseArgs(args: string[], spec: ParseSpec): ParsedArgs {
  const out: ParsedArgs = { positional: [], options: {}, rest: [] };
  const dash = args.indexOf('--');
  const head = dash >= 0 ? args.slice(0, dash) : args;
  out.rest = dash >= 0 ? args.slice(dash + 1) : [];
  let i = 0;
  for (; i < head.length && out.positional.length < spec.positional.length; i++) {
    if (/^--?[a-z]/i.test(head[i]!)) break;
    out.positional.push(head[i]!);
  }
  for (; i < head.length; i++) {
    const arg = head[i]!;
    const m = /^--?([a-z][a-z0-9_-]*)(?:=(.*))?$/i.exec(arg);
    if (!m) {
      // leftover positional words: pct exec takes them as the command (no `--` given)
      out.rest.unshift(...head.slice(i));
      break;
    }
    const name = m[1]!;
    if (spec.options && !spec.options.includes(name)) {
      throw paramError(spec.usage, { [name]: 'property is not defined in schema and the schema does not allow additional properties' });
    }
    let value = m[2];
    if (value === undefined) {
      const next = head[i + 1];
      const isBool = spec.booleans?.includes(name) ?? false;
      if (next !== undefined && !(isBool && /^-/.test(next)) && (!isBool || /^(0|1|true|false|yes|no|on|off)$/i.test(next))) {
        value = next;
        i++;
      } else if (isBool) {
        value = '1';
      } else {
        throw paramError(spec.usage, { [name]: 'missing value for option' });
      }
    }
    if (spec.repeatable?.includes(name)) {
      const prev = out.options[name];
      out.options[name] = prev === undefined ? [value] : [...(Array.isArray(prev) ? prev : [prev]), value];
    } else {
      if (out.options[name] !== undefined) throw paramError(spec.usage, { [name]: 'duplicate parameter (not an array)' });
      out.options[name] = value;
    }
  }
  if (out.positional.length < spec.positional.length) {
    throw new CliDie(`400 not enough arguments\n${spec.usage}\n`);
  }
  return out;
}

/** `pve-vmid`: integer 100..999999999, error text as PVE's schema check. */
export function parseVmid(raw: string, usage: string): number {
  if (!/^\d+$/.test(raw)) throw paramError(usage, { vmid: `type check ('integer') failed - got '${raw}'` });
  const n = Number(raw);
  if (n < 100) throw paramError(usage, { vmid: 'value must have a minimum value of 100' });
  if (n > 999999999) throw paramError(usage, { vmid: 'value must have a maximum value of 999999999' });
  return n;
}
