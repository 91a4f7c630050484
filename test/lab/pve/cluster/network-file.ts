// /etc/network/interfaces rendering (ifupdown2 syntax as PVE writes it) and the `diff -u` text GET
// /nodes/{node}/network returns as top-level `changes` while /etc/network/interfaces.new is pending.
import type { NetIface } from './cluster-state';

function stanza(i: NetIface): string[] {
  const out: string[] = [];
  if (i.autostart) out.push(`auto ${i.iface}`);
  out.push(`iface ${i.iface} inet ${i.method}`);
  if (i.cidr) out.push(`\taddress ${i.cidr}`);
  if (i.gateway) out.push(`\tgateway ${i.gateway}`);
  if (i.type === 'bridge') {
    out.push(`\tbridge-ports ${i.bridge_ports || 'none'}`);
    out.push('\tbridge-stp off');
    out.push('\tbridge-fd 0');
    if (i.bridge_vlan_aware) {
      out.push('\tbridge-vlan-aware yes');
      out.push(`\tbridge-vids ${i.bridge_vids ?? '2-4094'}`);
    }
  }
  if (i.mtu) out.push(`\tmtu ${i.mtu}`);
  if (i.comments) for (const c of i.comments.split('\n')) out.push(`#${c}`);
  return out;
}

/** PVE orders stanzas: loopback, physical NICs, then the rest by name. */
function order(ifaces: Map<string, NetIface>): NetIface[] {
  const rank = (i: NetIface) => (i.type === 'loopback' ? 0 : i.type === 'eth' ? 1 : 2);
  return [...ifaces.values()].sort((a, b) => rank(a) - rank(b) || a.iface.localeCompare(b.iface));
}

export function renderInterfaces(ifaces: Map<string, NetIface>): string {
  const blocks = order(ifaces).map((i) => stanza(i).join('\n'));
  return `${blocks.join('\n\n')}\n\n\nsource /etc/network/interfaces.d/*\n`;
}

/** Minimal `diff -u` (one hunk over the whole file; LCS based), enough for a human and for tests. */
export function unifiedDiff(a: string, b: string, aName: string, bName: string): string {
  if (a === b) return '';
  const x = a.split('\n');
  const y = b.split('\n');
  const n = x.length;
  const m = y.length;
  const lcs: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) lcs[i][j] = x[i] === y[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const body: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && x[i] === y[j]) { body.push(` ${x[i]}`); i++; j++; }
    else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) { body.push(`+${y[j]}`); j++; }
    else { body.push(`-${x[i]}`); i++; }
  }
  return [`--- ${aName}`, `+++ ${bName}`, `@@ -1,${n} +1,${m} @@`, ...body].join('\n') + '\n';
}
