import { badRequest, notFound } from '../../lib/app-error.js';
import { html } from '../../lib/html-template.js';
import { texHtml, texPlain } from '../../lib/tex.js';
import { arxivAbsUrl, arxivPdfUrl, parseArxivId } from '../../model/arxiv-id.js';
import { bibtex } from '../../model/bibtex.js';
import { longDate } from '../../model/dates.js';
import { similarPapers } from '../../services/search.js';
import { paperCard as findPaperCard, papersByIds } from '../../store/listing-store.js';
import { type Ctx, type Handler, handler, redirect } from '../route.js';
import { cardList, orgBadge, paperPath } from '../ui/card.js';
import { discussion } from '../ui/discussion.js';
import { page } from '../ui/layout.js';
import { voteControl } from '../ui/vote.js';

/** Similar papers shown under a paper (when the search engine provides them). */
export const SIMILAR_PAPERS = 5;
/**
 * How long a paper page waits for similar papers. The semantic index is built on first use (minutes
 * on a large corpus): the page must not wait for that. It renders without the section, the build
 * goes on in the background, and the page shows similar papers once its cached copy is refreshed.
 */
export const SIMILAR_PAPERS_WAIT_MS = 300;

async function similarWithin(ctx: Ctx, paperId: number): Promise<number[]> {
  const pending = similarPapers(ctx.app, paperId, SIMILAR_PAPERS).then((hits) => hits.map((h) => h.paperId));
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<number[]>((resolve) => {
    timer = setTimeout(() => resolve([]), SIMILAR_PAPERS_WAIT_MS);
  });
  try {
    return await Promise.race([pending, late]);
  } catch (err) {
    ctx.req.log.warn({ err }, 'similar papers unavailable');
    return [];
  } finally {
    clearTimeout(timer);
    pending.catch(() => undefined); // a late failure is logged by the search service, not here
  }
}

/** GET /papers/:arxivId — any accepted id form (versioned, arXiv:, abs/pdf URL) redirects to the canonical one. */
export const paperPage: Handler = handler({}, async (ctx) => {
  const raw = ctx.params['*'] ?? '';
  if (raw === '') return redirect('/papers', 301);
  const parsed = parseArxivId(raw);
  if (!parsed)
    throw badRequest(
      `"${raw}" is not an arXiv identifier. Paper pages look like /papers/2501.01234 or /papers/hep-th/9504118.`,
      'arxivId',
      [{ href: `/papers?q=${encodeURIComponent(raw)}`, label: `Search for "${raw}"` }],
    );
  if (parsed.id !== raw) return redirect(paperPath(parsed.id), 301);
  const card = await findPaperCard(ctx.app.db, parsed.id);
  if (!card)
    throw notFound(`Paper ${parsed.id} is not on this site (yet).`, [
      { href: arxivAbsUrl(parsed.id), label: `${parsed.id} on arXiv` },
    ]);
  const similar = await papersByIds(ctx.app.db, await similarWithin(ctx, card.id));
  const d = card.daily;
  const viewer = await ctx.viewer();
  const body = html`<article class="paper">
  <header>
    <p class="kicker">arXiv:${card.arxivId}${card.version ? `v${card.version}` : ''}${card.withdrawn ? html` · <strong class="warn">withdrawn</strong>` : ''}</p>
    <h1>${texHtml(card.title)}</h1>
    <p class="paper-authors">${card.authors.map((a, i) => html`${i > 0 ? ', ' : ''}<a href="/papers?q=${encodeURIComponent(`"${a}"`)}">${a}</a>`)}</p>
    <div class="paper-actions">
      <div class="vote" data-slot="vote">${voteControl(card, viewer)}</div>
      <a class="button" href="${arxivAbsUrl(card.arxivId)}" rel="noopener">arXiv page</a>
      <a class="button" href="${arxivPdfUrl(card.arxivId)}" rel="noopener">PDF</a>
      ${card.githubRepo ? html`<a class="button code" href="${card.githubRepo}" rel="noopener nofollow">GitHub${card.githubStars !== null ? html` ★ ${card.githubStars}` : ''}</a>` : ''}
      ${card.projectPage ? html`<a class="button" href="${card.projectPage}" rel="noopener nofollow">Project page</a>` : ''}
    </div>
  </header>
  <section aria-labelledby="abstract-h">
    <h2 id="abstract-h">Abstract</h2>
    <div class="abstract">${texHtml(card.abstract, { paragraphs: true })}</div>
    ${card.aiSummary ? html`<p class="muted"><strong>Summary:</strong> ${card.aiSummary}</p>` : ''}
  </section>
  <dl class="facts">
    ${card.organization ? html`<dt>Organisation</dt><dd>${orgBadge(card.organization)}</dd>` : ''}
    <dt>Published</dt><dd>${card.publishedAt ? html`<time datetime="${card.publishedAt}">${longDate(card.publishedAt.slice(0, 10))}</time>` : 'unknown'}</dd>
    ${card.updatedAt && card.updatedAt !== card.publishedAt ? html`<dt>Updated</dt><dd><time datetime="${card.updatedAt}">${longDate(card.updatedAt.slice(0, 10))}</time></dd>` : ''}
    ${card.version ? html`<dt>Version</dt><dd>v${card.version}</dd>` : ''}
    ${d ? html`<dt>Daily Papers</dt><dd><a href="/papers/date/${d.day}">${longDate(d.day)}</a></dd>` : ''}
    ${d?.submittedBy ? html`<dt>Submitted by</dt><dd>${d.submitterFullname ?? d.submittedBy} (${d.submittedBy})</dd>` : ''}
    <dt>Upvotes</dt><dd>${card.upvotes}</dd>
    <dt>Categories</dt><dd>${card.categories.map((c) => html`<a class="badge" href="/papers?category=${encodeURIComponent(c)}">${c}</a> `)}</dd>
    ${card.comment ? html`<dt>Comment</dt><dd>${card.comment}</dd>` : ''}
    ${card.journalRef ? html`<dt>Journal</dt><dd>${card.journalRef}</dd>` : ''}
    ${card.doi ? html`<dt>DOI</dt><dd><a href="https://doi.org/${card.doi}" rel="noopener">${card.doi}</a></dd>` : ''}
  </dl>
  <section aria-labelledby="bibtex-h">
    <h2 id="bibtex-h">Cite</h2>
    <pre class="bibtex" id="bibtex" tabindex="0">${bibtex(card)}</pre>
    <button type="button" class="copy" data-copy="bibtex" hidden>Copy BibTeX</button>
  </section>
  ${similar.length > 0 ? html`<section aria-labelledby="similar-h"><h2 id="similar-h">Similar papers</h2>${cardList(similar, viewer, ctx.now)}</section>` : ''}
  <section id="discussion" class="discussion" aria-labelledby="discussion-h">
    <h2 id="discussion-h">Discussion (${card.commentCount})</h2>
    ${await discussion(ctx.app, card, viewer)}
  </section>
</article>`;
  return page(ctx, {
    papers: [card.id, ...similar.map((p) => p.id)],
    title: texPlain(card.title),
    description: texPlain(card.abstract).replace(/\s+/g, ' ').slice(0, 200),
    canonical: paperPath(card.arxivId),
    nav: 'none',
    body,
  });
});
