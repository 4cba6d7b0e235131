/**
 * Pure rules for pictures fetched from elsewhere (issue #13): where a paper page's first figure is,
 * and whether some bytes are an image this site will serve. No I/O here; services/pictures.ts
 * fetches and stores.
 */

/** The raster image types served from this site. SVG is refused: it is a document that can script. */
const PICTURE_TYPES = ['image/png', 'image/jpeg', 'image/webp', 'image/gif'] as const;
export type PictureType = (typeof PICTURE_TYPES)[number];

/**
 * The image type the bytes really are, by their signature, or null for anything else (SVG, HTML, a
 * truncated file). The signature decides, not the sender's Content-Type, so a server cannot label
 * a script "image/png" and have this site serve it.
 *
 * @example sniffPictureType(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) // 'image/png'
 */
export function sniffPictureType(b: Uint8Array): PictureType | null {
  const ascii = (start: number, end: number) => Buffer.from(b.subarray(start, end)).toString('latin1');
  if (b.length >= 8 && ascii(0, 8) === '\x89PNG\r\n\x1a\n') return 'image/png';
  if (b.length >= 3 && b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff) return 'image/jpeg';
  if (b.length >= 6 && (ascii(0, 6) === 'GIF87a' || ascii(0, 6) === 'GIF89a')) return 'image/gif';
  if (b.length >= 12 && ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WEBP') return 'image/webp';
  return null;
}

const ATTR = (name: string) => new RegExp(`\\s${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');

function attr(tag: string, name: string): string | null {
  const m = ATTR(name).exec(tag);
  if (!m) return null;
  return (m[1] ?? m[2] ?? m[3] ?? '').replace(/&amp;/g, '&').trim();
}

/**
 * The absolute URL of the first `<img>` inside the first `<figure>` that has one, resolved against
 * the page's `<base href>` or its own URL; null when the page has no figure with an image, or the
 * image is SVG or not http(s). arXiv's HTML rendering (LaTeXML) writes figures exactly so.
 *
 * @example firstFigureImage('<figure><img src="x1.png"></figure>', 'https://arxiv.org/html/2501.01234v1/') // 'https://arxiv.org/html/2501.01234v1/x1.png'
 */
export function firstFigureImage(page: string, pageUrl: string): string | null {
  const baseTag = /<base\s[^>]*>/i.exec(page);
  let base: string;
  try {
    base = new URL(baseTag ? (attr(baseTag[0], 'href') ?? pageUrl) : pageUrl, pageUrl).href;
  } catch {
    return null;
  }
  const figures = /<figure\b[^>]*>([\s\S]*?)<\/figure>/gi;
  for (let f = figures.exec(page); f !== null; f = figures.exec(page)) {
    const img = /<img\b[^>]*>/i.exec(f[1]);
    const src = img ? attr(img[0], 'src') : null;
    if (!src || src.startsWith('data:')) continue;
    let url: URL;
    try {
      url = new URL(src, base);
    } catch {
      continue;
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') continue;
    if (/\.svgz?$/i.test(url.pathname)) continue;
    return url.href;
  }
  return null;
}

/** The page to read for a paper: the source template with `{id}` replaced by the arXiv id. */
export function figurePageUrl(template: string, arxivId: string): string {
  return template.replaceAll('{id}', arxivId);
}
