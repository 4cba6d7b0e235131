/**
 * Paper action URLs for both id styles: /papers/2501.01234/upvote and, for old-style ids that
 * contain a slash, /papers/hep-th/9504118/upvote.
 *
 * @example
 * paperUrls('/papers', 'upvote') // ['/papers/:id/upvote', '/papers/:archive/:num/upvote']
 */
export function paperUrls(prefix: string, action: string): string[] {
  return [`${prefix}/:id/${action}`, `${prefix}/:archive/:num/${action}`];
}

export function paperParam(params: unknown): string {
  const p = params as { id?: string; archive?: string; num?: string };
  return p.id ?? `${p.archive ?? ''}/${p.num ?? ''}`;
}
