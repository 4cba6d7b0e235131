import type { App } from '../app.js';
import { AppError } from '../lib/app-error.js';
import type { Actor } from '../model/actor.js';
import { bibtex } from '../model/bibtex.js';
import { findPaperById } from '../store/community-paper-store.js';
import { savedPapers, savePaper, unsavePaper } from '../store/saved-store.js';
import { requireUser, requireWriter } from './accounts.js';

/** Save a paper to the reading list, or take it off. */
export async function setSaved(app: App, actor: Actor, paperId: number, saved: boolean): Promise<void> {
  const me = requireWriter(actor);
  if (!(await findPaperById(app.db, paperId))) throw new AppError('not_found', 'No such paper.');
  if (saved) await savePaper(app.db, me.id, paperId, app.clock.now().toISOString());
  else await unsavePaper(app.db, me.id, paperId);
}

interface SavedItem {
  arxivId: string;
  title: string;
  authors: string[];
  publishedAt: string | null;
  primaryCategory: string | null;
  url: string;
  savedAt: string;
}

export async function readingList(app: App, actor: Actor): Promise<SavedItem[]> {
  const me = requireUser(actor);
  const rows = await savedPapers(app.db, me.id);
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

/** The reader's saved papers' ids, most recently saved first (the page shows them as cards). */
export async function readingListIds(app: App, actor: Actor): Promise<number[]> {
  const me = requireUser(actor);
  return (await savedPapers(app.db, me.id)).map((p) => p.id);
}

export async function readingListBibtex(app: App, actor: Actor): Promise<string> {
  const items = await readingList(app, actor);
  return items.map((i) => bibtex(i)).join('\n\n') + (items.length ? '\n' : '');
}
