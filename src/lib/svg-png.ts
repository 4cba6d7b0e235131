import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { Resvg } from '@resvg/resvg-js';

/**
 * SVG to PNG, for social cards: Open Graph readers (link previews in chat apps and social sites)
 * take PNG or JPEG, not SVG. resvg renders text with the fonts it is given: KaTeX's sans-serif
 * (shipped in the katex package, so a cover renders the same on every machine, with or without
 * system fonts) first, then whatever the system has for the letters KaTeX's fonts lack (Greek,
 * accents, other scripts).
 */
const fontDir = path.join(path.dirname(createRequire(import.meta.url).resolve('katex/package.json')), 'dist', 'fonts');
const FONT_FILES = ['KaTeX_SansSerif-Bold.ttf', 'KaTeX_SansSerif-Regular.ttf']
  .map((f) => path.join(fontDir, f))
  .filter((f) => fs.existsSync(f));

/**
 * Render an SVG document as PNG bytes at its own size.
 *
 * @example svgToPng('<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"/>') // Buffer <89 50 4e 47 …>
 */
export function svgToPng(svg: string): Buffer {
  const r = new Resvg(svg, {
    font: {
      fontFiles: FONT_FILES,
      loadSystemFonts: true,
      defaultFontFamily: 'KaTeX_SansSerif',
      sansSerifFamily: 'KaTeX_SansSerif',
    },
  });
  return r.render().asPng();
}
