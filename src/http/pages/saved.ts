import { readingList, readingListBibtex, readingListIds } from '../../services/reading-list.js';
import { papersByIds } from '../../store/listing-store.js';
import { handler, json, raw } from '../route.js';
import { savedView } from '../ui/community-views.js';
import { page } from '../ui/layout.js';

/** The reader's reading list as cards, and its BibTeX and JSON exports. */
export const savedPage = handler({}, async (c) => {
  const cards = await papersByIds(c.app.db, await readingListIds(c.app, c.actor));
  return page(c, { title: 'Saved papers', nav: 'none', body: savedView(cards, await c.viewer(), c.now) });
});

export const savedBibtex = handler({}, async (c) =>
  raw(await readingListBibtex(c.app, c.actor), 'application/x-bibtex; charset=utf-8', {
    'content-disposition': 'attachment; filename="paperboy-reading-list.bib"',
  }),
);

export const savedJson = handler({}, async (c) =>
  json(await readingList(c.app, c.actor), 200, {
    'content-disposition': 'attachment; filename="paperboy-reading-list.json"',
  }),
);
