import type { FastifyRequest } from 'fastify';
import type { App } from '../../app.js';
import { AppError } from '../../lib/app-error.js';
import { arxivAbsUrl, arxivPdfUrl, parseArxivId } from '../../model/arxiv-id.js';
import { factLabel } from '../../model/fact-label.js';
import { type PaperCard, paperCard } from '../../store/listing-store.js';
import { paperPage } from '../pages/paper.js';
import { type Handler, type Reply, raw, showing } from '../route.js';

/**
 * A paper as Markdown: what `GET /papers/{id}.md` and `Accept: text/markdown` on `/papers/{id}`
 * answer (Hugging Face serves its paper pages the same two ways; huggingface_hub's read_paper
 * fetches the `.md`), and what the MCP server's get_paper tool returns. Plain text for people and
 * agents: title, authors, dates, links, abstract, and what else the site knows (code, Daily Papers,
 * organisation, upvotes, discussion, results).
 */
const MARKDOWN_TYPE = 'text/markdown; charset=utf-8';

interface PaperMarkdownInput {
  card: PaperCard;
  /** The site's address (config.baseUrl), for absolute links to the paper's page. */
  baseUrl: string;
  /** Result facts, one line each ("1.79× faster decoding on …"); the section is left out when empty. */
  results: string[];
}

/** Result facts for the Markdown's "Results" section: the label, then the abstract's own words. */
function paperResultLines(card: PaperCard): string[] {
  return card.facts.map((f) => `${factLabel(f)} — "${f.span.replace(/\s+/g, ' ')}"`);
}

/** Text in a Markdown line: raw HTML in a title or abstract is shown as text, never as markup. */
function mdText(s: string): string {
  return s.replace(/[<>]/g, (c) => `\\${c}`);
}

/** A Markdown link to an http(s) address (anything else is shown as plain text). */
function mdLink(label: string, url: string): string {
  const u = url.trim();
  if (!/^https?:\/\//i.test(u)) return mdText(label);
  const safe = u.replace(/[\s()<>]/g, (c) => encodeURIComponent(c));
  return `[${mdText(label).replace(/[[\]]/g, (c) => `\\${c}`)}](${safe})`;
}

function day(iso: string | null): string | null {
  return iso ? iso.slice(0, 10) : null;
}

/**
 * The Markdown of one paper (pure: everything it shows is in the input).
 *
 * @example
 * paperMarkdown({ card, baseUrl: 'https://papers.example.org', results: [] })
 * // '# Attention Is All You Need\n\n- **Authors:** Ashish Vaswani, …'
 */
function paperMarkdown({ card, baseUrl, results }: PaperMarkdownInput): string {
  const page = `${baseUrl}/papers/${card.arxivId}`;
  const facts: string[] = [];
  const add = (label: string, value: string | null | false | undefined) => {
    if (value) facts.push(`- **${label}:** ${value}`);
  };
  add('Authors', card.authors.length > 0 ? mdText(card.authors.join(', ')) : null);
  add(
    'arXiv',
    `${mdLink(`${card.arxivId}${card.version ? `v${card.version}` : ''}`, arxivAbsUrl(card.arxivId))} · ${mdLink('PDF', arxivPdfUrl(card.arxivId))}${card.withdrawn ? ' · **withdrawn**' : ''}`,
  );
  add('Published', day(card.publishedAt));
  add('Updated', card.updatedAt && card.updatedAt !== card.publishedAt ? day(card.updatedAt) : null);
  add('Categories', card.categories.length > 0 ? card.categories.join(', ') : null);
  const d = card.daily;
  if (d) {
    const by = d.submittedBy
      ? ` (submitted by ${mdText(d.submitterFullname ?? d.submittedBy)}, ${mdText(d.submittedBy)})`
      : '';
    add('Daily Papers', `${mdLink(d.day, `${baseUrl}/papers/date/${d.day}`)}${by}`);
  }
  const org = card.organization;
  add(
    'Organisation',
    org
      ? `${mdText(org.fullname ?? org.name)} (${mdLink(org.name, `${baseUrl}/orgs/${encodeURIComponent(org.name)}`)})`
      : null,
  );
  add('Upvotes', String(card.upvotes) + (card.authorUpvotes > 0 ? ` (${card.authorUpvotes} from the authors)` : ''));
  add(
    'Code',
    card.githubRepo
      ? `${mdLink(card.githubRepo, card.githubRepo)}${card.githubStars !== null ? ` (${card.githubStars} stars)` : ''}`
      : null,
  );
  add('Project page', card.projectPage ? mdLink(card.projectPage.trim(), card.projectPage) : null);
  add(
    'Discussion',
    `${card.commentCount} ${card.commentCount === 1 ? 'comment' : 'comments'} (${mdLink('read', `${page}#discussion`)})`,
  );
  add('Journal', card.journalRef ? mdText(card.journalRef) : null);
  add('DOI', card.doi ? mdLink(card.doi, `https://doi.org/${card.doi}`) : null);
  add('Comment', card.comment ? mdText(card.comment) : null);
  add('Page', mdLink(page, page));

  const parts = [`# ${mdText(card.title)}`, facts.join('\n'), '## Abstract', mdText(card.abstract)];
  if (card.aiSummary || card.aiKeywords) {
    parts.push('## AI summary');
    if (card.aiSummary) parts.push(mdText(card.aiSummary));
    if (card.aiKeywords && card.aiKeywords.length > 0) parts.push(`Keywords: ${mdText(card.aiKeywords.join(', '))}`);
  }
  if (results.length > 0) parts.push('## Results', results.map((r) => `- ${mdText(r)}`).join('\n'));
  return `${parts.join('\n\n')}\n`;
}

/** The Markdown of the paper an id (any accepted form) names, and its store id; null when none does. */
export async function paperAsMarkdown(app: App, rawId: string): Promise<{ markdown: string; paperId: number } | null> {
  const id = parseArxivId(rawId);
  const card = id ? await paperCard(app.db, id.id) : null;
  if (!card) return null;
  const markdown = paperMarkdown({ card, baseUrl: app.config.baseUrl, results: paperResultLines(card) });
  return { markdown, paperId: card.id };
}

/**
 * Whether the request prefers Markdown to HTML: `text/markdown` listed in Accept with a quality
 * above text/html's (or text/html absent). Browsers never list it, so they get the page.
 */
export function prefersMarkdown(accept: string | undefined): boolean {
  if (!accept) return false;
  let markdown = -1;
  let htmlQ = -1;
  for (const part of accept.split(',')) {
    const [type, ...params] = part.trim().toLowerCase().split(';');
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith('q='));
    const q = qParam ? Number(qParam.slice(2)) : 1;
    if (!Number.isFinite(q)) continue;
    if (type.trim() === 'text/markdown') markdown = Math.max(markdown, q);
    else if (type.trim() === 'text/html') htmlQ = Math.max(htmlQ, q);
  }
  return markdown > 0 && markdown >= htmlQ;
}

const MD_SUFFIX = '.md';
const VARY = { vary: 'Accept' };

function withVary(r: Reply): Reply {
  return r.kind === 'redirect' ? r : { ...r, headers: { ...(r.headers ?? {}), ...VARY } };
}

/**
 * GET /papers/* — the paper page, or its Markdown for `/papers/{id}.md` and for `Accept:
 * text/markdown`. Markdown is served for any accepted id form, without a redirect (clients such as
 * huggingface_hub do not follow one). An id that names no paper is a 404 either way.
 */
export const paperPageOrMarkdown: Handler = {
  query: paperPage.query,
  body: paperPage.body,
  variant: (req: FastifyRequest) => (prefersMarkdown(req.headers.accept) ? 'markdown' : null),
  async run(c) {
    const rawId = c.params['*'] ?? '';
    const suffixed = rawId.endsWith(MD_SUFFIX);
    if (!suffixed && !prefersMarkdown(c.req.headers.accept)) return withVary(await paperPage.run(c));
    const id = suffixed ? rawId.slice(0, -MD_SUFFIX.length) : rawId;
    const md = await paperAsMarkdown(c.app, id);
    if (md === null) throw new AppError('not_found', `No paper ${id.slice(0, 80)} here.`, { parameter: 'id' });
    // A cached copy goes stale when this paper changes (a vote, a comment), as the page does.
    return showing(suffixed ? raw(md.markdown, MARKDOWN_TYPE) : raw(md.markdown, MARKDOWN_TYPE, VARY), [md.paperId]);
  },
};
