import { z } from 'zod';
import { fetchPictures } from '../../services/pictures.js';
import { defineJob } from '../job.js';

/** Fetch and cache papers' first figures and organisations' avatars not asked for yet (services/pictures.ts). */
export const fetchPicturesJob = defineJob({
  type: 'fetch-pictures',
  payload: z.object({ limit: z.number().int().min(1).max(1000).default(100) }),
  async run({ app }, { limit }) {
    const source = app.config.figureSource;
    if (!source) return { skipped: 'FIGURE_SOURCE=off' };
    return { ...(await fetchPictures(app, { source, limit })) };
  },
});
