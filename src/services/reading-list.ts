import type { Actor } from '../model/actor.js';
import { bibtex } from '../model/bibtex.js';
import { findPaperById } from '../store/community-paper-store.js';
import { savedPapers, savePaper, unsavePaper } from '../store/saved-store.js';
import { requireUser, requireWriter } from './accounts.js';
import type { ServiceContext } from './context.js';
import { ServiceError } from './errors.js';

/** Save a paper to the reading list, or take it off. */
export async function setSaved(ctx: ServiceContext, actor: Actor, paperId: number, saved: boolean): Promise<void> {
  const me = requireWriter(actor);
  if (!(await findPaperById(ctx.db, paperId))) throw new ServiceError('not_found', 'No such paper.');
  if (saved) await savePaper(ctx.db, me.id, paperId, ctx.now().toISOString());
  else await unsavePaper(ctx.db, me.id, paperId);
}

export interface SavedItem {
  arxivId: string;
  title: string;
  authors: string[];
  publishedAt: string | null;
  primaryCategory: string | null;
  url: string;
  savedAt: string;
}

export async function readingList(ctx: ServiceContext, actor: Actor): Promise<SavedItem[]> {
  const me = requireUser(actor);
  const rows = await savedPapers(ctx.db, me.id);
  return rows.map((p) => ({
    arxivId: p.arxiv_id,
    title: p.title,
    authors: JSON.parse(p.authors) as string[],
    publishedAt: p.published_at,
    primaryCategory: p.primary_category,
    url: `https://arxiv.org/abs/${p.arxiv_id}`,
    savedAt: p.saved_at,
  }));
}

export async function readingListBibtex(ctx: ServiceContext, actor: Actor): Promise<string> {
  const items = await readingList(ctx, actor);
  return items.map((i) => bibtex(i)).join('\n\n') + (items.length ? '\n' : '');
}
