import { XMLBuilder } from 'fast-xml-parser';
import { html } from '../../lib/html-template.js';
import { texPlain } from '../../lib/tex.js';
import { factLabel, topFacts } from '../../model/fact-label.js';
import type { PaperCard } from '../../store/listing-store.js';

/**
 * RSS 2.0 and Atom 1.0 documents for a list of papers. fast-xml-parser escapes text and
 * attributes; characters XML 1.0 forbids (control characters in scraped text) are dropped first.
 */
export interface FeedInfo {
  title: string;
  description: string;
  /** Absolute URL of the HTML page the feed mirrors. */
  pageUrl: string;
  /** Absolute URL of this feed (RSS or Atom twin, per format). */
  selfUrl: string;
  baseUrl: string;
  updated: Date;
}

/** Abstract characters shown in a feed item; readers show a preview, the page has the rest. */
const FEED_SUMMARY_MAX_CHARS = 2_000;
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g;

const clean = (s: string) => s.replace(XML_INVALID, '');
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  format: true,
  suppressEmptyNode: true,
  suppressBooleanAttributes: false,
});

function itemDate(card: PaperCard): Date {
  const s = card.daily?.submittedAt ?? (card.daily ? `${card.daily.day}T00:00:00.000Z` : card.publishedAt);
  const d = s ? new Date(s) : new Date(0);
  return Number.isNaN(d.getTime()) ? new Date(0) : d;
}

function summary(card: PaperCard): string {
  const s = clean(texPlain(card.abstract));
  return s.length > FEED_SUMMARY_MAX_CHARS ? `${s.slice(0, FEED_SUMMARY_MAX_CHARS)}…` : s;
}

/** Result facts a feed item names before its abstract (the paper page lists them all). */
const FEED_FACTS = 3;

/** "1.79× faster decoding · CPU; −62% KV cache", or null for a paper without facts. */
function factsLine(card: PaperCard): string | null {
  const top = topFacts(card.facts ?? [], FEED_FACTS);
  return top.length > 0 ? clean(top.map(factLabel).join('; ')) : null;
}

/**
 * RSS readers render <description> as HTML: the text is escaped for HTML here (the escaping
 * template), and the XML builder escapes that again, so `<b>` in an abstract reaches the reader as
 * text. The facts line, when there is one, is a paragraph of its own above the abstract.
 */
function rssDescription(card: PaperCard): string {
  const line = factsLine(card);
  return html`${line ? html`<p>Results: ${line}</p>` : ''}${summary(card)}`.value;
}

/** Atom's summary is plain text: the facts line, a blank line, the abstract. */
function atomSummary(card: PaperCard): string {
  const line = factsLine(card);
  return line ? `Results: ${line}\n\n${summary(card)}` : summary(card);
}

export function rss(info: FeedInfo, cards: PaperCard[]): string {
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    rss: {
      '@_version': '2.0',
      '@_xmlns:atom': 'http://www.w3.org/2005/Atom',
      '@_xmlns:dc': 'http://purl.org/dc/elements/1.1/',
      channel: {
        title: clean(info.title),
        link: info.pageUrl,
        description: clean(info.description),
        language: 'en',
        lastBuildDate: info.updated.toUTCString(),
        'atom:link': { '@_href': info.selfUrl, '@_rel': 'self', '@_type': 'application/rss+xml' },
        item: cards.map((c) => {
          const url = `${info.baseUrl}/papers/${c.arxivId}`;
          return {
            title: clean(texPlain(c.title)),
            link: url,
            guid: { '#text': url, '@_isPermaLink': 'true' },
            description: rssDescription(c),
            pubDate: itemDate(c).toUTCString(),
            'dc:creator': clean(c.authors.slice(0, 10).join(', ') + (c.authors.length > 10 ? ', et al.' : '')),
            category: c.categories.map(clean),
          };
        }),
      },
    },
  };
  return builder.build(doc);
}

export function atom(info: FeedInfo, cards: PaperCard[]): string {
  const doc = {
    '?xml': { '@_version': '1.0', '@_encoding': 'UTF-8' },
    feed: {
      '@_xmlns': 'http://www.w3.org/2005/Atom',
      id: info.selfUrl,
      title: clean(info.title),
      subtitle: clean(info.description),
      updated: info.updated.toISOString(),
      link: [
        { '@_rel': 'self', '@_type': 'application/atom+xml', '@_href': info.selfUrl },
        { '@_rel': 'alternate', '@_type': 'text/html', '@_href': info.pageUrl },
      ],
      author: { name: 'paperboy' },
      entry: cards.map((c) => {
        const url = `${info.baseUrl}/papers/${c.arxivId}`;
        return {
          id: url,
          title: clean(texPlain(c.title)),
          updated: itemDate(c).toISOString(),
          ...(c.publishedAt ? { published: new Date(c.publishedAt).toISOString() } : {}),
          link: { '@_rel': 'alternate', '@_type': 'text/html', '@_href': url },
          author: (c.authors.length > 0 ? c.authors.slice(0, 10) : ['Unknown']).map((name) => ({ name: clean(name) })),
          summary: atomSummary(c),
          category: c.categories.map((t) => ({ '@_term': clean(t) })),
        };
      }),
    },
  };
  return builder.build(doc);
}
