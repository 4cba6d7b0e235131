import { notFound } from '../../lib/app-error.js';
import { svgToPng } from '../../lib/svg-png.js';
import { parseArxivId } from '../../model/arxiv-id.js';
import { findOrganizationByName, paperCard } from '../../store/listing-store.js';
import { storedPicture } from '../../store/picture-store.js';
import { type Handler, handler, raw, redirect } from '../route.js';
import { coverPath, coverPngPath, coverSvg, orgAvatarSvg } from '../ui/cover.js';

/** SVG is a document: it may not run script or fetch anything, whoever opens it directly. */
const SVG_HEADERS = {
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'",
  'x-content-type-options': 'nosniff',
};
const SVG_TYPE = 'image/svg+xml; charset=utf-8';
/** Raster pictures (fetched from elsewhere, or a cover as PNG): never sniffed by browsers, never a document. */
const PICTURE_HEADERS = { 'x-content-type-options': 'nosniff', 'content-security-policy': "default-src 'none'" };

/**
 * GET /covers/:arxivId.svg — the paper's generated cover (cards, paper page); /covers/:arxivId.png —
 * the same as PNG, the page's og:image (social sites do not show SVG). Both cached like pages.
 */
export const coverImage: Handler = handler({}, async (ctx) => {
  const raw_ = ctx.params['*'] ?? '';
  const m = /^(.+)\.(svg|png)$/.exec(raw_);
  const parsed = m ? parseArxivId(m[1]) : null;
  if (!m || !parsed) throw notFound(`Covers are /covers/ARXIV_ID.svg (or .png), e.g. /covers/2501.01234.svg.`);
  const png = m[2] === 'png';
  if (parsed.id !== m[1]) return redirect(png ? coverPngPath(parsed.id) : coverPath(parsed.id), 301);
  const card = await paperCard(ctx.app.db, parsed.id);
  if (!card) throw notFound(`Paper ${parsed.id} is not on this site (yet).`);
  const svg = coverSvg(card).toString();
  const reply = png ? raw(svgToPng(svg), 'image/png', PICTURE_HEADERS) : raw(svg, SVG_TYPE, SVG_HEADERS);
  return { ...reply, papers: [card.id] };
});

/** GET /figures/:arxivId — the paper's first figure, fetched once by the fetch-pictures job. */
export const figureImage: Handler = handler({}, async (ctx) => {
  const parsed = parseArxivId(ctx.params['*'] ?? '');
  if (!parsed) throw notFound('Figures are /figures/ARXIV_ID, e.g. /figures/2501.01234.');
  const card = await paperCard(ctx.app.db, parsed.id);
  const picture = card ? await storedPicture(ctx.app.db, 'paper', card.id) : null;
  if (!card || !picture)
    throw notFound(`No figure of ${parsed.id} is kept here; its cover is ${coverPath(parsed.id)}.`);
  return raw(picture.bytes, picture.contentType, PICTURE_HEADERS);
});

/**
 * GET /org-avatars/:name.svg — an organisation's avatar: the one fetched from its avatar URL when
 * cached (a raster image, whatever the path's extension says), else generated (initials on its colour).
 */
export const orgAvatarImage: Handler = handler({}, async (ctx) => {
  const m = /^(.+)\.svg$/.exec(ctx.params.file ?? '');
  const org = m ? await findOrganizationByName(ctx.app.db, m[1]) : undefined;
  if (!org) throw notFound('No such organisation.');
  const cached = await storedPicture(ctx.app.db, 'org', org.id);
  if (cached) return raw(cached.bytes, cached.contentType, PICTURE_HEADERS);
  return raw(
    orgAvatarSvg({ name: org.name, fullname: org.fullname, avatarUrl: null }).toString(),
    SVG_TYPE,
    SVG_HEADERS,
  );
});
