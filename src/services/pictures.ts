import type { App } from '../app.js';
import { FetchError, PoliteHttp } from '../ingest/polite-http.js';
import { figurePageUrl, firstFigureImage, sniffPictureType } from '../model/picture.js';
import {
  orgsWithoutPicture,
  type PictureOutcome,
  type PictureOwner,
  papersWithoutPicture,
  savePicture,
} from '../store/picture-store.js';

/**
 * Fetch papers' first figures and organisations' avatars once each and keep them here (issue #13),
 * so pages show pictures without hot-linking another site. Polite: one request at a time with a
 * pause between (PoliteHttp, which also waits out 429/503 Retry-After). A picture that is missing,
 * too big or not a raster image is recorded as such and never asked for again; a source that
 * cannot be reached is left for the next run.
 */

/** Largest picture kept: a figure for a card, not a poster. */
export const MAX_PICTURE_BYTES = 2 * 1024 * 1024;
/** Largest figure page read (arXiv's HTML papers are up to a few MB). */
const MAX_PAGE_BYTES = 10 * 1024 * 1024;
/** Pause between requests to the source; arXiv asks automated clients for about one every 3 s. */
const PICTURE_REQUEST_GAP_MS = 3_000;

export interface PictureRunOptions {
  /** FIGURE_SOURCE: the page template with `{id}`. */
  source: string;
  /** Papers and organisations looked at per run. */
  limit: number;
  http?: PoliteHttp;
}

export interface PictureRunSummary {
  found: number;
  none: number;
  refused: number;
  failed: number;
}

async function fetchImage(http: PoliteHttp, url: string): Promise<PictureOutcome> {
  const r = await http.getBytes(url, MAX_PICTURE_BYTES);
  if (r.status === 404 || r.status === 410) return { outcome: 'none', sourceUrl: url, contentType: null, bytes: null };
  if (r.status !== 200) throw new FetchError(`GET ${url}: HTTP ${r.status}`, url, r.status);
  if (r.tooLarge || !r.bytes) return { outcome: 'refused', sourceUrl: url, contentType: null, bytes: null };
  const type = sniffPictureType(r.bytes);
  if (!type) return { outcome: 'refused', sourceUrl: url, contentType: null, bytes: null };
  return { outcome: 'found', sourceUrl: url, contentType: type, bytes: r.bytes };
}

async function paperFigure(http: PoliteHttp, source: string, arxivId: string): Promise<PictureOutcome> {
  const pageUrl = figurePageUrl(source, arxivId);
  const page = await http.getBytes(pageUrl, MAX_PAGE_BYTES);
  if (page.status === 404 || page.status === 410)
    return { outcome: 'none', sourceUrl: pageUrl, contentType: null, bytes: null };
  if (page.status !== 200) throw new FetchError(`GET ${pageUrl}: HTTP ${page.status}`, pageUrl, page.status);
  if (page.tooLarge || !page.bytes) return { outcome: 'refused', sourceUrl: pageUrl, contentType: null, bytes: null };
  // Resolve against a directory URL: arXiv serves /html/ID but its figures are relative to /html/ID/.
  const base = pageUrl.endsWith('/') || pageUrl.includes('?') ? pageUrl : `${pageUrl}/`;
  const img = firstFigureImage(page.bytes.toString('utf8'), base);
  if (!img) return { outcome: 'none', sourceUrl: pageUrl, contentType: null, bytes: null };
  return fetchImage(http, img);
}

/** One run: up to `limit` papers and `limit` organisations without a picture row. */
export async function fetchPictures(app: App, opts: PictureRunOptions): Promise<PictureRunSummary> {
  const http = opts.http ?? new PoliteHttp({ delayMs: PICTURE_REQUEST_GAP_MS });
  const summary: PictureRunSummary = { found: 0, none: 0, refused: 0, failed: 0 };
  const work: Array<[PictureOwner, number, () => Promise<PictureOutcome>]> = [
    ...(await papersWithoutPicture(app.db, opts.limit)).map(
      (p) =>
        ['paper', p.id, () => paperFigure(http, opts.source, p.key)] as [
          PictureOwner,
          number,
          () => Promise<PictureOutcome>,
        ],
    ),
    ...(await orgsWithoutPicture(app.db, opts.limit)).map(
      (o) => ['org', o.id, () => fetchImage(http, o.key)] as [PictureOwner, number, () => Promise<PictureOutcome>],
    ),
  ];
  for (const [kind, id, fetchOne] of work) {
    let outcome: PictureOutcome;
    try {
      outcome = await fetchOne();
    } catch (err) {
      // Unreachable or still refusing after its Retry-Afters: try again next run, nothing recorded.
      summary.failed++;
      app.log.warn({ kind, id, err: (err as Error).message }, 'picture fetch failed; retried next run');
      continue;
    }
    await savePicture(app.db, kind, id, outcome, app.clock.now().toISOString());
    summary[outcome.outcome]++;
  }
  // A new picture shows on lists, paper pages and the avatar route, all cached: refresh them once a run.
  if (summary.found > 0) app.contentVersion.everythingChanged();
  return summary;
}
