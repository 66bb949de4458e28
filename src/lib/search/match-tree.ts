/**
 * A full-text match as a tree of index terms: planQuery builds it, FTS5 reads it as text
 * (toFts5), and postings.ts evaluates it over cached term postings.
 */
export type MatchNode = string | { op: 'and' | 'or'; of: MatchNode[] };

const quote = (term: string) => `"${term.replace(/"/g, '""')}"`;

/** FTS5 query syntax: every term double-quoted, every group below the top parenthesized. */
export function toFts5(node: MatchNode, top = true): string {
  if (typeof node === 'string') return quote(node);
  const inner = node.of.map((n) => toFts5(n, false)).join(node.op === 'and' ? ' AND ' : ' OR ');
  return top ? inner : `(${inner})`;
}

/** A group with nested groups of the same kind flattened and repeated members dropped. */
function group(op: 'and' | 'or', nodes: MatchNode[]): MatchNode {
  const members = new Map<string, MatchNode>();
  for (const node of nodes) {
    for (const m of typeof node !== 'string' && node.op === op ? node.of : [node]) members.set(toFts5(m), m);
  }
  const of = [...members.values()];
  if (!of.length) throw new Error('An empty match group');
  return of.length === 1 ? of[0]! : { op, of };
}

export const allOf = (nodes: MatchNode[]) => group('and', nodes);
export const anyOf = (nodes: MatchNode[]) => group('or', nodes);

/** Every term of a tree, once. */
export function termsOf(node: MatchNode, out = new Set<string>()): Set<string> {
  if (typeof node === 'string') out.add(node);
  else for (const n of node.of) termsOf(n, out);
  return out;
}
