/**
 * Order nodes so each comes after the nodes it depends on (Kahn's algorithm); ties keep input
 * order, so the result is stable. Self-dependencies are ignored. A cycle is an error naming it.
 *
 * @example
 * topoSort(['votes', 'papers', 'users'], (t) => (t === 'votes' ? ['papers', 'users'] : []))
 * // ['papers', 'users', 'votes']
 */
export function topoSort(nodes: string[], dependsOn: (node: string) => string[]): string[] {
  const known = new Set(nodes);
  const deps = new Map(nodes.map((n) => [n, new Set(dependsOn(n).filter((d) => d !== n && known.has(d)))]));
  const out: string[] = [];
  const done = new Set<string>();
  while (out.length < nodes.length) {
    const next = nodes.find((n) => !done.has(n) && [...deps.get(n)!].every((d) => done.has(d)));
    if (next === undefined) {
      const stuck = nodes.filter((n) => !done.has(n));
      throw new Error(`dependency cycle among: ${stuck.join(', ')}`);
    }
    out.push(next);
    done.add(next);
  }
  return out;
}
