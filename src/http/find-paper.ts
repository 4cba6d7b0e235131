import type { App } from '../app.js';
import { notFound } from '../lib/app-error.js';
import { normaliseArxivId } from '../model/arxiv-id.js';
import { findPaperByArxivId } from '../store/paper-store.js';

/** The paper a `:paper` path parameter (or a form's arXiv id) names, or a 404. */
export async function paperOr404(app: App, raw: string | undefined) {
  const id = normaliseArxivId(raw ?? '');
  const p = id ? await findPaperByArxivId(app.db, id) : undefined;
  if (!p) throw notFound('No such paper.');
  return p;
}
