import { notFound } from '../lib/app-error.js';
import { handler, raw } from './route.js';
import { type Asset, katexFonts } from './ui/assets.js';

/** A static asset, served from memory (ui/assets.ts reads and hashes them at start). */
export const asset = (a: Asset) => handler({}, async () => raw(a.body, a.contentType));

/** GET /static/katex-fonts/:file — one of KaTeX's fonts, by its hashed name. */
export const katexFont = handler({}, async (ctx) => {
  const font = katexFonts.get(ctx.params.file ?? '');
  if (!font) throw notFound('There is no such font.');
  return raw(font.body, font.contentType);
});
