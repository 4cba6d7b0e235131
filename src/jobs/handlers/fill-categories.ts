import { z } from 'zod';
import { ArxivClient } from '../../ingest/atom/client.js';
import { FILL_CATEGORIES_LIMIT, fillCategories } from '../../services/categories.js';
import { defineJob } from '../job.js';

/** Ask arXiv for the categories of papers that arrived without them (services/categories.ts). */
export const fillCategoriesJob = defineJob({
  type: 'fill-categories',
  payload: z.object({ limit: z.number().int().min(1).max(1000).default(FILL_CATEGORIES_LIMIT) }),
  async run({ app }, { limit }) {
    // app.arxivLookup is null when the site asks arXiv nothing (ARXIV_LOOKUP=off, and in tests' apps).
    if (!app.arxivLookup) return { skipped: 'ARXIV_LOOKUP=off' };
    // The API's own pace (one request every 3 s, Retry-After honoured): a background client.
    return { ...(await fillCategories(app, new ArxivClient(), limit)) };
  },
});
