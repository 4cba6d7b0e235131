import { readingList, readingListBibtex } from '../../services/reading-list.js';
import { handler, json, raw } from '../route.js';
import { savedView } from '../ui/community-views.js';
import { communityPage } from '../ui/layout.js';

/** The reader's reading list, and its BibTeX and JSON exports. */
export const savedPage = handler({}, async (c) =>
  communityPage(c, 'Saved', savedView(await readingList(c.app, c.actor))),
);

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
