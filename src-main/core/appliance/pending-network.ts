// Which interfaces a node's pending network change (the `diff -u` of /etc/network/interfaces.new that
// GET /nodes/{node}/network returns as `changes`) touches, so Proximity applies only a change that is its own.

/**
 * The interface names whose stanzas the diff adds, removes or edits. A stanza starts at `auto X`, `allow-* X`
 * or `iface X` and runs to the next blank line; every non-blank `+`/`-` line counts for the stanza it is in
 * (a changed line outside any stanza counts as `(global)`). Sorted, unique.
 */
export function pendingInterfaces(diff: string): string[] {
  const touched = new Set<string>();
  let current: string | null = null;
  let inBody = false;
  for (const line of diff.split('\n')) {
    if (line.startsWith('@@')) {
      inBody = true;
      continue;
    }
    if (!inBody || line.length === 0) continue;
    const mark = line[0];
    const text = line.slice(1);
    if (text.trim() === '') {
      current = null;
      continue;
    }
    const head = /^(?:auto|iface|allow-[\w-]+)\s+(\S+)/.exec(text);
    if (head) current = head[1]!;
    else if (!/^\s/.test(text) && !text.startsWith('#')) current = null; // e.g. `source ...`
    if (mark === '+' || mark === '-') touched.add(current ?? '(global)');
  }
  return [...touched].sort();
}
