import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';
import { SafeHtml } from './html-template.js';

/**
 * Comment Markdown → safe HTML. marked renders; sanitize-html then keeps only a strict allow-list
 * (no raw HTML survives: no scripts, styles, iframes, event handlers, images or javascript: links).
 * Links get rel="nofollow ugc noopener" so comments give spammers no search ranking.
 *
 * @example
 * renderMarkdown('**hi** <script>alert(1)</script>') // '<p><strong>hi</strong> </p>'
 */
const marked = new Marked({ gfm: true, breaks: false, async: false });

const ALLOWED_TAGS = [
  'p',
  'br',
  'strong',
  'em',
  'del',
  'code',
  'pre',
  'blockquote',
  'ul',
  'ol',
  'li',
  'a',
  'h3',
  'h4',
  'h5',
  'h6',
  'hr',
];

const SANITIZE: sanitizeHtml.IOptions = {
  allowedTags: ALLOWED_TAGS,
  allowedAttributes: { a: ['href', 'title'], ol: ['start'] },
  allowedSchemes: ['http', 'https', 'mailto'],
  allowedSchemesAppliedToAttributes: ['href'],
  allowProtocolRelative: false,
  disallowedTagsMode: 'discard',
  // Headings 1–2 would compete with the page's own; they are shown as level 3.
  transformTags: {
    h1: 'h3',
    h2: 'h3',
    a: sanitizeHtml.simpleTransform('a', { rel: 'nofollow ugc noopener', target: '_blank' }),
  },
};
SANITIZE.allowedAttributes = { a: ['href', 'title', 'rel', 'target'], ol: ['start'] };

export function renderMarkdown(source: string): string {
  const html = marked.parse(source) as string;
  return sanitizeHtml(html, SANITIZE).trim();
}

/** Search snippets: the engine's <mark> around matched words, nothing else. */
const HIGHLIGHT: sanitizeHtml.IOptions = { allowedTags: ['mark'], allowedAttributes: {} };

/**
 * THE one door for raw HTML into a page: markup is sanitised here, on the way out, whatever its
 * source (a comment's Markdown rendered at write time and stored, a search engine's snippet), so a
 * row edited in the database or a bug upstream still cannot inject a script. Every other value
 * reaches a page through the escaping `html` template.
 *
 * @example
 * sanitized(comment.body_html)              // the comment allow-list
 * sanitized(hit.snippet, 'highlight')      // only <mark> survives
 */
export function sanitized(markup: string, allow: 'markdown' | 'highlight' = 'markdown'): SafeHtml {
  return new SafeHtml(sanitizeHtml(markup, allow === 'markdown' ? SANITIZE : HIGHLIGHT));
}
