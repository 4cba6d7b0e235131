import { html, type SafeHtml } from '../../lib/html-template.js';
import { texPlain } from '../../lib/tex.js';
import type { OrgRef, PaperCard } from '../../store/listing-store.js';

/**
 * Pictures paperboy makes itself, so every card and paper page has one without hot-linking another
 * site: a cover per paper (title, organisation, category colour), which is also the page's social
 * card (og:image), and an avatar per organisation (its initials on its colour). SVG: a few hundred
 * bytes, sharp at any size, cached like a page (the route's `papers`).
 */

/** The social-card size (Open Graph's common 1.91:1). */
export const COVER_WIDTH = 1200;
export const COVER_HEIGHT = 630;
/**
 * Title lines on a cover and characters a line, at the cover's title size; the rest is cut with "…".
 * 28 characters of bold sans at 56 px fill the 1,056 px between the margins with ordinary text
 * (DejaVu Sans Bold, Debian's fallback, averages ~0.61 em a character); a line of wide letters that
 * would still overflow is squeezed to fit (`fitLength`).
 */
const COVER_TITLE_LINES = 5;
const COVER_LINE_CHARS = 28;
const COVER_TITLE_PX = 56;
/** Characters of the organisation (or first author) line, which shares its line with the arXiv id. */
const COVER_BY_CHARS = 36;
/** Left and right margin of a cover's text, px. */
const COVER_MARGIN_PX = 72;

/** Hues of the common arXiv archives (cs.CV and cs.CL differ at a glance); others hash to one. */
const CATEGORY_HUES: Record<string, number> = {
  'cs.CV': 212,
  'cs.CL': 152,
  'cs.LG': 268,
  'cs.AI': 330,
  'cs.RO': 28,
  'cs.CR': 0,
  'stat.ML': 288,
  'eess.IV': 190,
  'quant-ph': 176,
  math: 48,
  physics: 100,
  'astro-ph': 240,
  'q-bio': 130,
};

function hash(s: string): number {
  let h = 2166136261;
  for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 16777619);
  return h >>> 0;
}

/** A category's hue (0–359): fixed for the common ones, stable for any other. */
export function categoryHue(category: string | null): number {
  if (!category) return 220;
  return CATEGORY_HUES[category] ?? CATEGORY_HUES[category.split('.')[0]] ?? hash(category) % 360;
}

/** Words into at most `lines` lines of about `width` characters; the last ends in … when cut. */
export function wrapWords(text: string, width: number, lines: number): string[] {
  const out: string[] = [];
  let line = '';
  const words = text.split(/\s+/).filter(Boolean);
  let i = 0;
  for (; i < words.length; i++) {
    const w = words[i].length > width ? `${words[i].slice(0, width - 1)}…` : words[i];
    if (line && line.length + 1 + w.length > width) {
      out.push(line);
      line = '';
      if (out.length === lines) break;
    }
    line = line ? `${line} ${w}` : w;
  }
  if (out.length < lines && line) out.push(line);
  if (i < words.length && out.length > 0) {
    const last = out[out.length - 1];
    out[out.length - 1] = `${last.length > width - 1 ? last.slice(0, width - 1) : last}…`;
  }
  return out;
}

/** A bold sans character's width in em, by its shape: an estimate, generous so lines never overflow. */
function charEm(ch: string): number {
  if (/[ilj.,:;'!|()[\]\s]/.test(ch)) return 0.34;
  if (/[MWmw@%]/.test(ch)) return 0.95;
  if (/[A-Z0-9]/.test(ch)) return 0.74;
  return 0.62;
}

/** `textLength` for a line whose estimated width exceeds `maxPx` at `fontPx` (squeezed to fit), else null. */
export function fitLength(line: string, fontPx: number, maxPx: number): number | null {
  let em = 0;
  for (const ch of line) em += charEm(ch);
  return em * fontPx > maxPx ? maxPx : null;
}

/** Path of a paper's cover (old-style ids keep their slash: /covers/hep-th/9504118.svg). */
export function coverPath(arxivId: string): string {
  return `/covers/${arxivId}.svg`;
}

/** Path of a paper's cover as PNG: the page's og:image (social sites show no SVG). */
export function coverPngPath(arxivId: string): string {
  return `/covers/${arxivId}.png`;
}

/** The card's and paper page's picture: the cached first figure (pages/images.ts) or the cover. */
export function picturePath(card: { arxivId: string; hasFigure: boolean }): string {
  return card.hasFigure ? `/figures/${card.arxivId}` : coverPath(card.arxivId);
}

/** Path of an organisation's avatar. */
export function orgAvatarPath(name: string): string {
  return `/org-avatars/${encodeURIComponent(name)}.svg`;
}

/**
 * A paper's cover: its category's colour, the title (TeX as plain text), the organisation or the
 * first author, the category and the arXiv id.
 *
 * @example coverSvg(card).toString() // '<svg xmlns="http://www.w3.org/2000/svg" …'
 */
export function coverSvg(card: PaperCard): SafeHtml {
  const hue = categoryHue(card.primaryCategory ?? card.categories[0] ?? null);
  const title = wrapWords(texPlain(card.title), COVER_LINE_CHARS, COVER_TITLE_LINES);
  const by = card.organization
    ? card.organization.fullname || card.organization.name
    : card.authors.length > 0
      ? `${card.authors[0]}${card.authorCount > 1 ? ` and ${card.authorCount - 1} more` : ''}`
      : '';
  const top = 130;
  const lineHeight = Math.round(COVER_TITLE_PX * 1.2);
  const textWidth = COVER_WIDTH - 2 * COVER_MARGIN_PX;
  const tspan = (l: string, i: number) => {
    const fit = fitLength(l, COVER_TITLE_PX, textWidth);
    const y = top + (i + 1) * lineHeight;
    return fit
      ? html`<tspan x="${COVER_MARGIN_PX}" y="${y}" textLength="${fit}" lengthAdjust="spacingAndGlyphs">${l}</tspan>`
      : html`<tspan x="${COVER_MARGIN_PX}" y="${y}">${l}</tspan>`;
  };
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="${COVER_WIDTH}" height="${COVER_HEIGHT}" viewBox="0 0 ${COVER_WIDTH} ${COVER_HEIGHT}" role="img" aria-label="${texPlain(card.title)}">
<defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="hsl(${hue} 70% 34%)"/><stop offset="1" stop-color="hsl(${(hue + 40) % 360} 65% 22%)"/></linearGradient></defs>
<rect width="100%" height="100%" fill="url(#g)"/>
<circle cx="1080" cy="90" r="260" fill="hsl(${(hue + 20) % 360} 80% 60%)" opacity=".18"/>
<g font-family="system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif" fill="#fff">
<text x="${COVER_MARGIN_PX}" y="96" font-size="30" font-weight="600" opacity=".85">${card.primaryCategory ?? card.categories[0] ?? 'arXiv'}</text>
<text font-size="${COVER_TITLE_PX}" font-weight="700">${title.map(tspan)}</text>
<text x="${COVER_MARGIN_PX}" y="560" font-size="34" opacity=".92">${by.length > COVER_BY_CHARS ? `${by.slice(0, COVER_BY_CHARS - 1)}…` : by}</text>
<text x="${COVER_WIDTH - COVER_MARGIN_PX}" y="560" font-size="28" text-anchor="end" opacity=".7">arXiv:${card.arxivId}</text>
</g>
</svg>
`;
}

/** An organisation's avatar: up to two initials on its own colour. */
export function orgAvatarSvg(o: OrgRef): SafeHtml {
  const label = o.fullname || o.name;
  const words = label.split(/[\s_-]+/).filter((w) => /^[\p{L}\p{N}]/u.test(w));
  const initials = (words.length > 1 ? words[0][0] + words[1][0] : label.slice(0, 2)).toUpperCase();
  const hue = hash(o.name) % 360;
  return html`<svg xmlns="http://www.w3.org/2000/svg" width="64" height="64" viewBox="0 0 64 64" role="img" aria-label="${label}">
<rect width="64" height="64" rx="14" fill="hsl(${hue} 60% 42%)"/>
<text x="32" y="41" font-family="system-ui, sans-serif" font-size="26" font-weight="700" fill="#fff" text-anchor="middle">${initials}</text>
</svg>
`;
}
