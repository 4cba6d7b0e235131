import type { ResultFact } from '../../facts/fact.js';
import { badRequest, notFound } from '../../lib/app-error.js';
import { html, type SafeHtml } from '../../lib/html-template.js';
import { markSpans, texHtml, texPlain } from '../../lib/tex.js';
import { arxivAbsUrl, arxivPdfUrl, parseArxivId } from '../../model/arxiv-id.js';
import { bibtex } from '../../model/bibtex.js';
import { cardDate, longDate } from '../../model/dates.js';
import { factLabel, factValue } from '../../model/fact-label.js';
import { factRanking, rankingPath, rankingTitle } from '../../model/result-ranking.js';
import { similarPapers } from '../../services/search.js';
import { paperCard as findPaperCard, type PaperCard, papersByIds } from '../../store/listing-store.js';
import { type Ctx, type Handler, handler, redirect } from '../route.js';
import { orgBadge, orgPath, paperPath } from '../ui/card.js';
import { COVER_HEIGHT, COVER_WIDTH, coverPngPath, picturePath } from '../ui/cover.js';
import { paperCommunity } from '../ui/discussion.js';
import { page } from '../ui/layout.js';
import { voteControl } from '../ui/vote.js';
import type { Viewer } from '../viewer.js';
import { authorPath } from './author.js';

/** Similar papers shown under a paper (when the search engine provides them). */
const SIMILAR_PAPERS = 5;
/**
 * How long a paper page waits for similar papers. The semantic index is built on first use (minutes
 * on a large corpus): the page must not wait for that. It renders without the section, the build
 * goes on in the background, and the page shows similar papers once its cached copy is refreshed.
 */
const SIMILAR_PAPERS_WAIT_MS = 300;

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

/** Authors listed before "and N more" (a few papers have hundreds). */
const AUTHORS_SHOWN = 12;

function authorLink(a: string): SafeHtml {
  return html`<a href="${authorPath(a)}">${a}</a>`;
}

/** "Ada Lovelace, Alan Turing", or the first few and "and 7 more" behind a disclosure. */
function authorList(authors: string[]): SafeHtml {
  const head = authors.slice(0, AUTHORS_SHOWN).map((a, i) => html`${i > 0 ? ', ' : ''}${authorLink(a)}`);
  if (authors.length <= AUTHORS_SHOWN) return html`${head}`;
  const rest = authors.slice(AUTHORS_SHOWN).map((a) => html`, ${authorLink(a)}`);
  return html`${head}<details class="more-authors"><summary>and ${authors.length - AUTHORS_SHOWN} more</summary>${rest}</details>`;
}

function paperHeader(card: PaperCard, viewer: Viewer): SafeHtml {
  const d = card.daily;
  const byline = [
    card.publishedAt
      ? html`<time datetime="${card.publishedAt}">${longDate(card.publishedAt.slice(0, 10))}</time>`
      : '',
    d ? html`<a href="/papers/date/${d.day}">Daily Papers, ${longDate(d.day)}</a>` : '',
    card.primaryCategory
      ? html`<a href="/papers?category=${encodeURIComponent(card.primaryCategory)}">${card.primaryCategory}</a>`
      : '',
  ].filter((x) => x !== '');
  return html`<header class="paper-head">
    <p class="kicker">arXiv:${card.arxivId}${card.version ? `v${card.version}` : ''}${card.withdrawn ? html` · <strong class="warn">withdrawn</strong>` : ''}</p>
    <h1>${texHtml(card.title)}</h1>
    <p class="byline">${card.organization ? html`${orgBadge(card.organization)} <span class="dot" aria-hidden="true">·</span> ` : ''}${card.authorCount} ${card.authorCount === 1 ? 'author' : 'authors'}${byline.map((b) => html` <span class="dot" aria-hidden="true">·</span> ${b}`)}</p>
    <div class="paper-actions">
      <div class="vote big" data-slot="vote">${voteControl(card, viewer)}</div>
      <a class="button primary" href="${arxivPdfUrl(card.arxivId)}" rel="noopener">PDF</a>
      <a class="button" href="${arxivAbsUrl(card.arxivId)}" rel="noopener">arXiv page</a>
      ${card.githubRepo ? html`<a class="button code" href="${card.githubRepo}" rel="noopener nofollow">Code${card.githubStars !== null ? html` <span class="stars">★ ${card.githubStars}</span>` : ''}</a>` : ''}
      <a class="button subtle" href="#discussion">Discuss</a>
    </div>
  </header>`;
}

/** The links box: code, project page and where else the paper is discussed. */
function sideLinks(card: PaperCard): SafeHtml {
  const items = [
    card.githubRepo
      ? html`<li><a href="${card.githubRepo}" rel="noopener nofollow">${card.githubRepo.replace(/^https?:\/\/(www\.)?/, '')}</a>${card.githubStars !== null ? html` <span class="muted">★ ${card.githubStars}</span>` : ''}</li>`
      : '',
    card.projectPage ? html`<li><a href="${card.projectPage}" rel="noopener nofollow">Project page</a></li>` : '',
    html`<li><a href="${arxivAbsUrl(card.arxivId)}" rel="noopener">arXiv abstract</a> · <a href="${arxivPdfUrl(card.arxivId)}" rel="noopener">PDF</a></li>`,
    card.doi ? html`<li>DOI <a href="https://doi.org/${card.doi}" rel="noopener">${card.doi}</a></li>` : '',
  ];
  return html`<section class="side-box" aria-labelledby="links-h"><h2 id="links-h">${card.githubRepo ? 'Code and links' : 'Links'}</h2><ul class="links">${items}</ul>${card.githubRepo ? '' : html`<p class="muted small">No code link known yet.</p>`}</section>`;
}

function authorsBox(card: PaperCard): SafeHtml {
  return html`<section class="side-box" aria-labelledby="authors-h"><h2 id="authors-h">Authors (${card.authorCount})</h2><p class="paper-authors">${authorList(card.authors)}</p></section>`;
}

/** `asksArxiv`: the site asks arXiv for categories a source left out (jobs/handlers/fill-categories.ts). */
function detailsBox(card: PaperCard, asksArxiv: boolean): SafeHtml {
  const d = card.daily;
  return html`<section class="side-box" aria-labelledby="details-h"><h2 id="details-h">Details</h2><dl class="facts">
    <dt>Published</dt><dd>${card.publishedAt ? html`<time datetime="${card.publishedAt}">${longDate(card.publishedAt.slice(0, 10))}</time>` : 'unknown'}</dd>
    ${card.updatedAt && card.updatedAt !== card.publishedAt ? html`<dt>Updated</dt><dd><time datetime="${card.updatedAt}">${longDate(card.updatedAt.slice(0, 10))}</time></dd>` : ''}
    ${card.version ? html`<dt>Version</dt><dd>v${card.version}</dd>` : ''}
    ${d ? html`<dt>Daily Papers</dt><dd><a href="/papers/date/${d.day}">${longDate(d.day)}</a></dd>` : ''}
    ${d?.submittedBy ? html`<dt>Submitted by</dt><dd>${d.submitterFullname ?? d.submittedBy} <span class="muted">@${d.submittedBy}</span></dd>` : ''}
    <dt>Upvotes</dt><dd>${card.upvotes}</dd>
    <dt>Categories</dt><dd>${
      card.categories.length > 0
        ? card.categories.map((c) => html`<a class="badge" href="/papers?category=${encodeURIComponent(c)}">${c}</a> `)
        : asksArxiv
          ? html`<span class="muted">not known yet: the source listed none; arXiv is asked within the hour</span>`
          : html`<span class="muted">not known: the source listed none, and this site does not ask arXiv (ARXIV_LOOKUP=off)</span>`
    }</dd>
    ${card.comment ? html`<dt>Comment</dt><dd>${texHtml(card.comment)}</dd>` : ''}
    ${card.journalRef ? html`<dt>Journal</dt><dd>${card.journalRef}</dd>` : ''}
  </dl></section>`;
}

/** Comments here and, apart, the count imported from Hugging Face (those comments are not shown here). */
function discussionCounts(card: PaperCard): SafeHtml {
  const here = Math.max(0, card.commentCount - card.importedCommentCount);
  const imported = card.importedCommentCount;
  return html`<p class="discussion-counts">${here === 0 ? 'No comments here yet' : `${here} ${here === 1 ? 'comment' : 'comments'} here`}${
    imported > 0
      ? html` <span class="dot" aria-hidden="true">·</span> <a href="https://huggingface.co/papers/${card.arxivId}#community" rel="noopener nofollow">${imported} ${imported === 1 ? 'comment' : 'comments'} on Hugging Face</a>`
      : ''
  }</p>`;
}

/** The Results section: each fact's label and its fields; the same spans are marked in the abstract. */
function resultsSection(facts: readonly ResultFact[]): SafeHtml | '' {
  if (facts.length === 0) return '';
  const field = (name: string, v: string | null) =>
    v ? html` <span class="dot" aria-hidden="true">·</span> ${name} <span class="fact-field">${v}</span>` : '';
  return html`<section class="paper-results" aria-labelledby="results-h">
      <h2 id="results-h">Results</h2>
      <ul class="fact-list">${facts.map(
        (f) =>
          html`<li class="fact-${f.kind}"><strong class="fact-label">${factLabel(f)}</strong><span class="fact-meta">${f.kind}: <span class="fact-value">${factValue(f)}</span>${field('metric', f.metric)}${field('setting', f.setting)}${field('vs', f.baseline)}</span><q class="fact-span">${texHtml(f.span)}</q><a class="fact-rank" href="${rankingPath(factRanking(f))}">${rankingTitle(factRanking(f))} →</a></li>`,
      )}</ul>
    </section>`;
}

/** A similar paper in the side column: title, organisation or authors, date and votes. */
function similarItem(p: PaperCard, now: Date): SafeHtml {
  const date = p.publishedAt ?? p.daily?.day ?? null;
  return html`<li><a class="similar-title" href="${paperPath(p.arxivId)}">${texHtml(p.title)}</a><span class="similar-meta">${p.organization ? p.organization.fullname || p.organization.name : `${p.authorCount} ${p.authorCount === 1 ? 'author' : 'authors'}`}${date ? html` · ${cardDate(date, now)}` : ''} · ▲ ${p.upvotes}</span></li>`;
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
  const viewer = await ctx.viewer();
  const community = await paperCommunity(ctx.app, card, viewer);
  const body = html`<article class="paper">
  ${paperHeader(card, viewer)}
  <div class="paper-main">
    <section class="paper-abstract" aria-labelledby="abstract-h">
      <h2 id="abstract-h">Abstract</h2>
      <div class="abstract">${
        card.facts.length > 0
          ? texHtml(
              markSpans(
                card.abstract,
                card.facts.map((f) => f.span),
              ),
              { paragraphs: true, marks: true },
            )
          : texHtml(card.abstract, { paragraphs: true })
      }</div>
      ${card.aiSummary ? html`<p class="ai-summary"><strong>In short:</strong> ${texHtml(card.aiSummary)}</p>` : ''}
    </section>
    ${resultsSection(card.facts)}
    <section id="discussion" class="discussion" aria-labelledby="discussion-h">
      <h2 id="discussion-h">Discussion</h2>
      ${discussionCounts(card)}
      ${community.comments}
    </section>
  </div>
  <aside class="paper-side" aria-label="About this paper">
    <figure class="paper-image"><img src="${picturePath(card)}" alt="${card.hasFigure ? 'First figure of' : 'Cover of'} ${texPlain(card.title)}" width="${COVER_WIDTH}" height="${COVER_HEIGHT}" decoding="async"></figure>
    ${community.tools}
    ${sideLinks(card)}
    ${card.organization ? html`<section class="side-box" aria-labelledby="org-h"><h2 id="org-h">Organisation</h2><p>${orgBadge(card.organization)}</p><p><a href="${orgPath(card.organization.name)}">More papers from ${card.organization.fullname || card.organization.name} →</a></p></section>` : ''}
    ${authorsBox(card)}
    ${detailsBox(card, ctx.app.arxivLookup !== null)}
    <section class="side-box" aria-label="Trending">${community.why}</section>
    <section class="side-box" aria-labelledby="bibtex-h">
      <h2 id="bibtex-h">Cite</h2>
      <pre class="bibtex" id="bibtex" tabindex="0">${bibtex(card)}</pre>
      <button type="button" class="copy" data-copy="bibtex" hidden>Copy BibTeX</button>
    </section>
    ${similar.length > 0 ? html`<section class="side-box" aria-labelledby="similar-h"><h2 id="similar-h">Similar papers</h2><ol class="similar">${similar.map((p) => similarItem(p, ctx.now))}</ol></section>` : ''}
  </aside>
</article>`;
  return page(ctx, {
    papers: [card.id, ...similar.map((p) => p.id)],
    title: texPlain(card.title),
    description: texPlain(card.abstract).replace(/\s+/g, ' ').slice(0, 200),
    canonical: paperPath(card.arxivId),
    image: `${ctx.app.config.baseUrl}${coverPngPath(card.arxivId)}`,
    nav: 'none',
    body,
  });
});
