import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The site's assets, served by paperboy itself (no CDN): read once at start, addressed with a
 * content hash so browsers may cache them for a year. The site uses system fonts; KaTeX's
 * stylesheet and its fonts load only on pages that show a formula.
 */
export interface Asset {
  body: Buffer;
  contentType: string;
  /** /static/site.<hash>.css */
  url: string;
}

const hashOf = (body: Buffer | string) => createHash('sha1').update(body).digest('hex').slice(0, 10);

/** The source folder in tests (src/http/ui), or beside dist/ in the built package. */
function assetDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'assets'), path.resolve(here, '../../../../src/http/ui/assets')];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'site.css')));
  if (!dir) throw new Error(`http: site assets not found (looked in ${candidates.join(', ')})`);
  return dir;
}

function load(file: string, contentType: string): Asset {
  const body = fs.readFileSync(path.join(assetDir(), file));
  const [name, ext] = file.split('.');
  return { body, contentType, url: `/static/${name}.${hashOf(body)}.${ext}` };
}

/** KaTeX's fonts (WOFF2 only: every browser that runs the site reads it), by their served file name. */
function loadKatex(): { css: Asset; fonts: Map<string, Asset> } {
  const dist = path.join(path.dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist');
  const fonts = new Map<string, Asset>();
  const urlOf = new Map<string, string>();
  for (const f of fs.readdirSync(path.join(dist, 'fonts')).filter((f) => f.endsWith('.woff2'))) {
    const body = fs.readFileSync(path.join(dist, 'fonts', f));
    const file = `${f.slice(0, -'.woff2'.length)}.${hashOf(body)}.woff2`;
    fonts.set(file, { body, contentType: 'font/woff2', url: `${KATEX_FONT_PREFIX}${file}` });
    urlOf.set(f, `${KATEX_FONT_PREFIX}${file}`);
  }
  // The "swap" build shows text in a fallback font while a font loads, instead of hiding it.
  const source = fs.readFileSync(path.join(dist, 'katex-swap.min.css'), 'utf8');
  const css = source.replace(/src:url\(fonts\/([\w-]+)\.woff2\) format\("woff2"\)[^;}]*/g, (m, name: string) => {
    const url = urlOf.get(`${name}.woff2`);
    return url ? `src:url(${url}) format("woff2")` : m;
  });
  const body = Buffer.from(css);
  return { css: { body, contentType: 'text/css; charset=utf-8', url: `/static/katex.${hashOf(body)}.css` }, fonts };
}

/** Where KaTeX's fonts are served: one route for all of them. */
export const KATEX_FONT_PREFIX = '/static/katex-fonts/';

export const siteCss = load('site.css', 'text/css; charset=utf-8');
export const siteJs = load('site.js', 'text/javascript; charset=utf-8');
export const favicon = load('favicon.svg', 'image/svg+xml');
const katex = loadKatex();
export const katexCss = katex.css;
export const katexFonts = katex.fonts;
