// Minimal PVE property-string helpers (`key=value,key=value`, optional default key) for the config keys the
// cluster state must understand (`net[n]`, `rootfs`, `features`). The schema layer has already validated the
// syntax, so this only splits and re-prints in PVE's canonical order.

export type PropMap = Record<string, string>;

/** Split `a=1,b=2` (values never contain `,` for the formats we parse); a bare first item goes to `defaultKey`. */
export function parseProps(value: string, defaultKey?: string): PropMap {
  const out: PropMap = {};
  for (const part of value.split(',')) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    if (eq < 0) {
      if (!defaultKey) throw new Error(`invalid property string item '${part}'`);
      out[defaultKey] = part;
    } else {
      out[part.slice(0, eq)] = part.slice(eq + 1);
    }
  }
  return out;
}

/** Print like PVE's print_property_string: `first` keys in that order, then the rest sorted. */
export function printProps(props: PropMap, first: string[] = [], bareKey?: string): string {
  const keys = Object.keys(props).filter((k) => props[k] !== undefined && props[k] !== '');
  const ordered = [...first.filter((k) => keys.includes(k)), ...keys.filter((k) => !first.includes(k)).sort()];
  return ordered.map((k) => (k === bareKey ? props[k] : `${k}=${props[k]}`)).join(',');
}

/** Parse `8`, `8G`, `512M`, `1T` (disk-size format) into bytes; bare numbers are GiB as in rootfs `STORAGE:8`. */
export function parseDiskSize(v: string): number {
  const m = /^(\d+(?:\.\d+)?)([KMGT])?$/.exec(v);
  if (!m) throw new Error(`invalid disk size '${v}'`);
  const n = parseFloat(m[1]);
  const unit = { K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2] ?? 'G']!;
  return Math.round(n * unit);
}

/** PVE prints sizes in the largest whole unit (`8G`, `512M`). */
export function printDiskSize(bytes: number): string {
  for (const [u, f] of [['T', 2 ** 40], ['G', 2 ** 30], ['M', 2 ** 20], ['K', 2 ** 10]] as const) {
    if (bytes % f === 0) return `${bytes / f}${u}`;
  }
  return String(bytes);
}
