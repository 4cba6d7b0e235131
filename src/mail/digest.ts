import { html, type SafeHtml } from '../lib/html-template.js';
import { texPlain } from '../lib/tex.js';
import { COLORS, FONT, headerRow, mailHtml } from './layout.js';

/**
 * Building one digest mail, pure: the same input gives the same subject, HTML and text.
 * Paper text comes from outside (arXiv, imports) and is treated as hostile: everything is escaped,
 * and links are built from our own BASE_URL and the paper's validated arXiv id only.
 *
 * @example
 * const mail = buildDigest({ papers, period: 'daily', day: '2026-06-16', baseUrl: 'https://papers.example.org',
 *   unsubscribeUrl, preferencesUrl });
 * mail.subject // 'Trending papers for Tue, Jun 16'
 */
export interface DigestPaper {
  arxivId: string;
  title: string;
  abstract: string;
  authorCount: number;
  organization: string | null;
  organizationFullname: string | null;
  upvotes: number;
}

interface DigestInput {
  papers: DigestPaper[];
  /**
   * The subscriber's own recommendations, each with the reason in a phrase (services/digest-for-you.ts);
   * empty or absent for a subscriber without an account.
   */
  forYou?: Array<{ paper: DigestPaper; why: string }>;
  period: 'daily' | 'weekly';
  /** The send day (YYYY-MM-DD); weekly digests cover the 7 days before it. */
  day: string;
  baseUrl: string;
  unsubscribeUrl: string;
  preferencesUrl: string;
}

export interface BuiltMail {
  subject: string;
  html: string;
  text: string;
}

/** Abstracts are cut to about this many characters, at a word boundary. */
const SHORT_ABSTRACT_CHARS = 280;
/** Plain-text lines wrap at this width (RFC 5322 recommends at most 78). */
const TEXT_WIDTH = 72;

export function shortAbstract(s: string, max = SHORT_ABSTRACT_CHARS): string {
  const flat = s.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max);
  const space = cut.lastIndexOf(' ');
  return `${(space > max * 0.6 ? cut.slice(0, space) : cut).replace(/[\s,;:.-]+$/, '')}…`;
}

function paperUrl(baseUrl: string, arxivId: string): string {
  return `${baseUrl}/papers/${encodeURIComponent(arxivId)}`;
}

function metaLine(p: DigestPaper): string[] {
  const parts = [`${p.authorCount} ${p.authorCount === 1 ? 'author' : 'authors'}`];
  const org = p.organizationFullname || p.organization;
  if (org) parts.push(org);
  parts.push(`${p.upvotes} ${p.upvotes === 1 ? 'upvote' : 'upvotes'}`);
  return parts;
}

function wrap(text: string, width = TEXT_WIDTH, indent = ''): string {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(' ')) {
    if (line && line.length + 1 + word.length > width - indent.length) {
      lines.push(indent + line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  if (line) lines.push(indent + line);
  return lines.join('\n');
}

/** One paper's HTML rows and text block; the same for every subscriber, so callers may cache them. */
export function paperFragments(p: DigestPaper, baseUrl: string, rank: number): { html: SafeHtml; text: string } {
  const url = paperUrl(baseUrl, p.arxivId);
  // Mail clients cannot typeset math: titles and abstracts go out as Unicode text ("α-sparsity").
  const title = texPlain(p.title).replace(/\s+/g, ' ').trim();
  const abstract = shortAbstract(texPlain(p.abstract));
  const meta = metaLine(p);
  const row = html`<tr><td style="padding:16px 28px;border-top:1px solid ${COLORS.border};font-family:${FONT};">
<div style="font-size:12px;color:${COLORS.muted};margin-bottom:4px;">#${rank}</div>
<a href="${url}" style="font-size:17px;line-height:1.35;font-weight:600;color:${COLORS.text};text-decoration:none;word-break:break-word;overflow-wrap:anywhere;">${title}</a>
<div style="margin-top:6px;font-size:13px;line-height:1.5;color:${COLORS.muted};">${meta.map((m, i) =>
    i === meta.length - 1
      ? html` &middot; <span style="color:${COLORS.accent};font-weight:600;">&#9650; ${m}</span>`
      : html`${i > 0 ? html` &middot; ` : ''}${m}`,
  )}</div>
<p style="margin:8px 0 0;font-size:14px;line-height:1.55;color:${COLORS.body};word-break:break-word;overflow-wrap:anywhere;">${abstract}</p>
<div style="margin-top:8px;font-size:13px;"><a href="${url}" style="color:${COLORS.link};text-decoration:none;">Read the paper &rarr;</a></div>
</td></tr>`;
  const text = `${rank}. ${wrap(title, TEXT_WIDTH, '').replace(/\n/g, '\n   ')}\n   ${meta.join(' · ')}\n${wrap(abstract, TEXT_WIDTH, '   ')}\n   ${url}`;
  return { html: row, text };
}

/** One "For you" paper: its title, its reason, its facts line; no abstract (the section is a short list). */
function forYouFragments(p: DigestPaper, why: string, baseUrl: string): { html: SafeHtml; text: string } {
  const url = paperUrl(baseUrl, p.arxivId);
  const title = texPlain(p.title).replace(/\s+/g, ' ').trim();
  const meta = metaLine(p).join(' · ');
  const row = html`<tr><td style="padding:12px 28px;border-top:1px solid ${COLORS.border};font-family:${FONT};">
<a href="${url}" style="font-size:16px;line-height:1.35;font-weight:600;color:${COLORS.text};text-decoration:none;word-break:break-word;overflow-wrap:anywhere;">${title}</a>
<div style="margin-top:4px;font-size:13px;line-height:1.5;color:${COLORS.accent};">${why}</div>
<div style="margin-top:2px;font-size:13px;line-height:1.5;color:${COLORS.muted};">${meta}</div>
</td></tr>`;
  const text = `* ${wrap(title, TEXT_WIDTH, '').replace(/\n/g, '\n  ')}\n  ${wrap(why, TEXT_WIDTH - 2, '').replace(/\n/g, '\n  ')}\n  ${meta}\n  ${url}`;
  return { html: row, text };
}

function forYouHeading(settingsUrl: string): SafeHtml {
  return html`<tr><td style="padding:24px 28px 8px;border-top:6px solid ${COLORS.page};font-family:${FONT};">
<div style="font-size:12px;font-weight:700;letter-spacing:0.08em;text-transform:uppercase;color:${COLORS.accent};">For you</div>
<div style="margin-top:4px;font-size:14px;line-height:1.5;color:${COLORS.muted};">Picked from what you upvote, save and follow. <a href="${settingsUrl}" style="color:${COLORS.link};text-decoration:none;">Change what it learns from</a></div>
</td></tr>`;
}

const DAY_FORMAT = new Intl.DateTimeFormat('en-US', {
  weekday: 'short',
  month: 'short',
  day: 'numeric',
  timeZone: 'UTC',
});
const SHORT_DAY = new Intl.DateTimeFormat('en-US', { month: 'short', day: 'numeric', timeZone: 'UTC' });

const subjects = new Map<string, string>();

function digestSubject(period: 'daily' | 'weekly', day: string): string {
  const key = `${period}:${day}`;
  let s = subjects.get(key);
  if (s === undefined) {
    s = formatSubject(period, day);
    subjects.set(key, s);
  }
  return s;
}

function formatSubject(period: 'daily' | 'weekly', day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  if (period === 'daily') return `Trending papers for ${DAY_FORMAT.format(d)}`;
  const from = new Date(d.getTime() - 7 * 86_400_000);
  const to = new Date(d.getTime() - 86_400_000);
  return `Trending papers of the week, ${SHORT_DAY.format(from)} – ${SHORT_DAY.format(to)}`;
}

/** Build the whole mail; `fragments` lets a sender reuse each paper's rendering across subscribers. */
export function buildDigest(
  input: DigestInput,
  fragments?: (p: DigestPaper, rank: number) => { html: SafeHtml; text: string },
): BuiltMail {
  const subject = digestSubject(input.period, input.day);
  const blocks = input.papers.map((p, i) =>
    fragments ? fragments(p, i + 1) : paperFragments(p, input.baseUrl, i + 1),
  );
  const forYou = (input.forYou ?? []).map((f) => forYouFragments(f.paper, f.why, input.baseUrl));
  const settingsUrl = `${input.baseUrl}/settings/for-you`;
  const n = input.papers.length;
  const lead = `${n} ${n === 1 ? 'paper' : 'papers'} the community is reading${input.period === 'daily' ? ' today' : ' this week'}`;
  const footer = html`You get this ${input.period} digest because you subscribed at <a href="${input.baseUrl}" style="color:${COLORS.muted};">${input.baseUrl.replace(/^https?:\/\//, '')}</a>.<br><a href="${input.preferencesUrl}" style="color:${COLORS.link};">Change preferences</a> &middot; <a href="${input.unsubscribeUrl}" style="color:${COLORS.link};">Unsubscribe</a>`;
  const htmlPart = mailHtml({
    title: subject,
    preheader: input.papers[0] ? `${lead}: ${input.papers[0].title.slice(0, 90)}` : lead,
    body: html`${headerRow('paperboy', subject, lead)}${blocks.map((b) => html`${b.html}\n`)}${
      forYou.length > 0 ? html`${forYouHeading(settingsUrl)}${forYou.map((f) => html`${f.html}\n`)}` : ''
    }`,
    footer,
  });
  const text = [
    subject,
    '='.repeat(Math.min(subject.length, TEXT_WIDTH)),
    lead,
    '',
    blocks.map((b) => b.text).join('\n\n'),
    '',
    ...(forYou.length > 0
      ? [
          'For you',
          '-------',
          'Picked from what you upvote, save and follow.',
          `Change what it learns from: ${settingsUrl}`,
          '',
          forYou.map((f) => f.text).join('\n\n'),
          '',
        ]
      : []),
    '-- ',
    `You get this ${input.period} digest because you subscribed at ${input.baseUrl}.`,
    `Change preferences: ${input.preferencesUrl}`,
    `Unsubscribe: ${input.unsubscribeUrl}`,
    '',
  ].join('\n');
  return { subject, html: htmlPart, text };
}
