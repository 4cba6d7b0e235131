import { retryWhileBusy } from '../../db/busy.js';
import type { Db } from '../../db/open.js';
import { getHarvestState, saveHarvestState } from '../../store/harvest-store.js';
import { withTransaction } from '../../store/transaction.js';
import { emptySummary, IMPORT_BUSY_WAIT_MS, type ImportSummary, type Reject, recordWrites } from '../import-runner.js';
import { PoliteHttp, type PoliteHttpOptions } from '../polite-http.js';
import { type HfDailyRecord, parseHfItem, unwrapDay } from './parse.js';
import { hfDailySource } from './source.js';

/** Hugging Face's Daily Papers API; `?date=YYYY-MM-DD` gives that day's list. */
export const HF_DAILY_API_URL = 'https://huggingface.co/api/daily_papers';
/** Pause between requests: one day a second is gentle and still fetches a year in minutes. */
const HF_REQUEST_DELAY_MS = 1000;
/** The harvest_state row that remembers the last day fetched. */
export const HF_HARVEST_KEY = 'hf-daily';
const DAY_MS = 86_400_000;
const DAY = /^\d{4}-\d{2}-\d{2}$/;

interface HfHarvestOptions extends Partial<PoliteHttpOptions> {
  baseUrl?: string;
  /** First day (YYYY-MM-DD); default: the last day fetched before (its counts move during the day), else `until`. */
  from?: string;
  /** Last day (YYYY-MM-DD); default: today (UTC). */
  until?: string;
  onDay?: (day: string, summary: HfHarvestSummary) => void;
  onReject?: (reject: Reject) => void;
}

interface HfHarvestSummary extends ImportSummary {
  days: number;
  from: string;
  until: string;
}

function checkDay(name: string, v: string | undefined): void {
  if (v !== undefined && (!DAY.test(v) || Number.isNaN(Date.parse(v)))) {
    throw new Error(`--${name} must be a date like 2025-01-31, got ${JSON.stringify(v)}`);
  }
}

function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/**
 * Fetch Hugging Face's Daily Papers day by day and import them as `import hf-daily` would (same
 * parser, same writes). Each day commits with the harvest position, so a stopped run loses nothing
 * and the next one starts at the last day fetched (refetched: its upvotes were still moving).
 *
 * @example
 * await harvestHfDaily(db, { from: '2025-06-01', until: '2025-06-07' }); // 7 requests, 1 s apart
 */
export async function harvestHfDaily(db: Db, opts: HfHarvestOptions = {}): Promise<HfHarvestSummary> {
  checkDay('from', opts.from);
  checkDay('until', opts.until);
  const until = opts.until ?? new Date().toISOString().slice(0, 10);
  const state = await getHarvestState(db, HF_HARVEST_KEY);
  const from = opts.from ?? state?.datestamp ?? until;
  if (from > until) throw new Error(`--from ${from} is after --until ${until}`);
  const base = opts.baseUrl ?? HF_DAILY_API_URL;
  const http = new PoliteHttp({ ...opts, delayMs: opts.delayMs ?? HF_REQUEST_DELAY_MS });
  const summary: HfHarvestSummary = { ...emptySummary(), days: 0, from, until };
  const reject = (r: Reject) => {
    summary.rejected++;
    summary.rejects.push(r);
    opts.onReject?.(r);
  };
  for (let day = from; day <= until; day = addDays(day, 1)) {
    const url = `${base}?${new URLSearchParams({ date: day })}`;
    const res = await http.get(url);
    if (res.status !== 200)
      throw new Error(`Hugging Face API: HTTP ${res.status} for ${url}: ${res.body.slice(0, 160)}`);
    let items: unknown[];
    try {
      items = unwrapDay(JSON.parse(res.body), day);
    } catch (err) {
      throw new Error(
        `Hugging Face API: ${url}: ${err instanceof SyntaxError ? 'not valid JSON' : (err as Error).message}`,
      );
    }
    const records: HfDailyRecord[] = [];
    items.forEach((raw, i) => {
      summary.read++;
      try {
        records.push(parseHfItem(raw, day, i + 1));
      } catch (err) {
        reject({ file: url, line: i + 1, reason: (err as Error).message });
      }
    });
    const status = await retryWhileBusy(
      () =>
        withTransaction(db, async (tdb) => {
          const s = records.length > 0 ? await hfDailySource.write(tdb, records) : [];
          const prev = (await getHarvestState(tdb, HF_HARVEST_KEY))?.datestamp ?? null;
          await saveHarvestState(tdb, HF_HARVEST_KEY, {
            datestamp: prev && prev > day ? prev : day,
            resumption_token: null,
            run_from: from,
            run_until: until,
          });
          return s;
        }),
      { budgetMs: IMPORT_BUSY_WAIT_MS },
    );
    await recordWrites(db, summary, status);
    summary.days++;
    summary.files++;
    opts.onDay?.(day, summary);
  }
  return summary;
}
