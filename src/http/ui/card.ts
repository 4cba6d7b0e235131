import { html, type SafeHtml } from '../../lib/html-template.js';
import { texHtml, texPlain } from '../../lib/tex.js';
import { cardDate } from '../../model/dates.js';
import { factLabel, topFacts } from '../../model/fact-label.js';
import { factRanking, rankingPath } from '../../model/result-ranking.js';
import type { OrgRef, PaperCard } from '../../store/listing-store.js';
import type { Viewer } from '../viewer.js';
import { COVER_HEIGHT, COVER_WIDTH, orgAvatarPath, picturePath } from './cover.js';
import { recsControls } from './recs-controls.js';
import { voteControl } from './vote.js';

/** A speech bubble, inline so it needs no request and no icon font. */
/** Drawn by the stylesheet (.icon-comment), so a list of 30 cards does not carry 30 copies of it. */
const COMMENT_ICON = html`<span class="icon icon-comment" aria-hidden="true"></span>`;

/** Canonical path of a paper page; old-style ids keep their slash (/papers/hep-th/9504118). */
export function paperPath(arxivId: string): string {
  return `/papers/${arxivId}`;
}

export function orgPath(name: string): string {
  return `/orgs/${encodeURIComponent(name)}`;
}

/** The organisation badge: its generated avatar (ui/cover.ts; no third-party images) and the full name. */
export function orgBadge(o: OrgRef): SafeHtml {
  const label = o.fullname || o.name;
  return html`<a class="org" href="${orgPath(o.name)}"><img class="org-avatar" src="${orgAvatarPath(o.name)}" alt="" width="20" height="20" loading="lazy">${label}</a>`;
}

/**
 * Abstract characters a card carries: it shows three lines (CSS clamps them), so the rest only
 * weighs down list pages (30 full abstracts are ~45 KB); the paper page has the whole text.
 */
const CARD_ABSTRACT_MAX_CHARS = 480;

/** The date a card shows: when the paper was published, else when it was featured. */
function shownDate(card: PaperCard): string | null {
  return card.publishedAt ?? card.daily?.day ?? null;
}

/**
 * A paper card as on the seed page: title, clamped abstract, "N authors" or the organisation
 * badge, the date, then upvotes, comments and a code badge. Title and abstract are TeX prose
 * (lib/tex.ts); `marked` replaces them with search snippets holding MARK_OPEN/MARK_CLOSE.
 */
export function paperCard(
  card: PaperCard,
  viewer: Viewer,
  now: Date,
  marked: { title?: string; abstract?: string } = {},
): SafeHtml {
  const date = shownDate(card);
  const href = paperPath(card.arxivId);
  return html`<article class="card">
  <a class="card-image" href="${href}" tabindex="-1" aria-hidden="true"><img src="${picturePath(card)}" alt="" width="${COVER_WIDTH}" height="${COVER_HEIGHT}" loading="lazy" decoding="async"></a>
  <h3 class="card-title"><a href="${href}">${texHtml(marked.title ?? card.title, { marks: true })}</a></h3>
  <p class="card-abstract">${texHtml(marked.abstract ?? card.abstract, { maxChars: CARD_ABSTRACT_MAX_CHARS, marks: true })}</p>
  ${factChips(card)}
  <div class="card-meta">
    ${card.organization ? orgBadge(card.organization) : html`<span class="authors">${card.authorCount} ${card.authorCount === 1 ? 'author' : 'authors'}</span>`}
    ${date ? html`<span class="dot" aria-hidden="true">·</span><time datetime="${date.slice(0, 10)}">${cardDate(date, now)}</time>` : ''}
    ${card.githubRepo ? html`<a class="badge code" href="${card.githubRepo}" rel="noopener nofollow">Code</a>` : ''}
  </div>
  <footer class="card-foot">
    <div class="vote">${voteControl(card, viewer)}</div>
    <a class="comments" href="${href}#discussion">${COMMENT_ICON} ${card.commentCount}<span class="sr-only"> comments</span></a>
    ${recsControls(card, viewer)}
  </footer>
</article>`;
}

/**
 * The abstract's top result facts as chips ("1.79× faster decoding · CPU"); the span is the tooltip,
 * and each chip opens the ranking of its kind and metric (/results/speedup?metric=decoding…).
 */
function factChips(card: Pick<PaperCard, 'facts'>): SafeHtml | '' {
  const top = topFacts(card.facts ?? []);
  if (top.length === 0) return '';
  return html`<ul class="fact-chips" aria-label="Results">${top.map((f) => html`<li class="fact-chip fact-${f.kind}"><a href="${rankingPath(factRanking(f))}" title="${texPlain(f.span)}">${factLabel(f)}</a></li>`)}</ul>`;
}

export function cardList(cards: PaperCard[], viewer: Viewer, now: Date): SafeHtml {
  return html`<div class="cards">${cards.map((c) => paperCard(c, viewer, now))}</div>`;
}
