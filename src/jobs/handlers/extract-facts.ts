import { z } from 'zod';
import { extractPendingFacts } from '../../services/facts.js';
import { defineJob } from '../job.js';

/** Extract the result facts of papers whose abstract is new or changed since the last run. */
export const extractFactsJob = defineJob({
  type: 'extract-facts',
  payload: z.object({}),
  async run({ app }) {
    const r = await extractPendingFacts(app);
    return { papers: r.papers, facts: r.facts, ms: Math.round(r.ms) };
  },
});
