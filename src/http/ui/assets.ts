import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The site's only two assets, served by paperboy itself (no CDN, no web fonts): read once at
 * start, addressed with a content hash so browsers may cache them for a year.
 */
export interface Asset {
  body: string;
  contentType: string;
  /** /static/site.<hash>.css */
  url: string;
}

/** The source folder in tests (src/http/ui), or beside dist/ in the built package. */
function assetDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const candidates = [path.join(here, 'assets'), path.resolve(here, '../../../../src/http/ui/assets')];
  const dir = candidates.find((d) => fs.existsSync(path.join(d, 'site.css')));
  if (!dir) throw new Error(`http: site assets not found (looked in ${candidates.join(', ')})`);
  return dir;
}

function load(file: string, contentType: string): Asset {
  const body = fs.readFileSync(path.join(assetDir(), file), 'utf8');
  const hash = createHash('sha1').update(body).digest('hex').slice(0, 10);
  const [name, ext] = file.split('.');
  return { body, contentType, url: `/static/${name}.${hash}.${ext}` };
}

export const siteCss = load('site.css', 'text/css; charset=utf-8');
export const siteJs = load('site.js', 'text/javascript; charset=utf-8');
export const favicon = load('favicon.svg', 'image/svg+xml');
