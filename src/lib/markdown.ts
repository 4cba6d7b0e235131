import { Marked } from 'marked';
import sanitizeHtml from 'sanitize-html';

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
