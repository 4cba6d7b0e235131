import { z } from 'zod';
import { harvestKey, harvestOai } from '../../ingest/oai/harvester.js';
import { recordedImport } from '../../services/import-runs.js';
import { getHarvestState } from '../../store/harvest-store.js';
import { defineJob } from '../job.js';

const MS_PER_DAY = 86_400_000;

/**
 * Harvest arXiv's OAI-PMH feed incrementally (what `paperboy harvest oai` does), for the schedule.
 * A site that never harvested starts `firstRunDays` back instead of at the beginning of arXiv (a
 * full harvest is days of requests: backfill with `paperboy import kaggle` instead). Resumable and
 * idempotent: the harvester keeps its progress in harvest_state.
 */
export const harvestOaiJob = defineJob({
  type: 'harvest-oai',
  payload: z.object({
    /** An OAI set (`cs`, `physics:hep-th`); absent or `all` for everything. */
    set: z.string().optional(),
    firstRunDays: z.number().int().min(1).default(2),
    url: z.string().url().optional(),
  }),
  async run({ app, log }, { set, firstRunDays, url }) {
    const oaiSet = set === 'all' ? undefined : set;
    const state = await getHarvestState(app.db, harvestKey(oaiSet));
    const from =
      state?.datestamp || state?.resumption_token
        ? undefined
        : new Date(Date.now() - firstRunDays * MS_PER_DAY).toISOString().slice(0, 10);
    const summary = await recordedImport(app, 'oai', 'job', () =>
      harvestOai(app.db, { set: oaiSet, from, baseUrl: url }),
    );
    const { rejects, ...counts } = summary;
    log.info({ set: oaiSet ?? 'all', ...counts }, 'harvest-oai finished');
    return { ...counts, rejects: rejects.slice(0, 20) };
  },
});
