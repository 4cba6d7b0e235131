import { retryWhileBusy } from '../../db/busy.js';
import type { Db } from '../../db/open.js';
import type { PaperRecord } from '../../model/paper.js';
import { emptyRecord } from '../../model/paper.js';
import { getHarvestState, saveHarvestState } from '../../store/harvest-store.js';
import { findPaperByArxivId, upsertPapers } from '../../store/paper-store.js';
import { withTransaction } from '../../store/transaction.js';
import { emptySummary, IMPORT_BUSY_WAIT_MS, type ImportSummary, type Reject, recordWrites } from '../import-runner.js';
import { PoliteHttp, type PoliteHttpOptions } from '../polite-http.js';
import { arxivIdFromOaiIdentifier, OaiError, type OaiPage, oaiRecordToPaper, parseOaiResponse } from './parse.js';

/** arXiv's OAI-PMH endpoint. */
export const ARXIV_OAI_URL = 'https://oaipmh.arxiv.org/oai';
/** Pause between requests; arXiv asks harvesters for no more than one request every 3 seconds. */
const OAI_REQUEST_DELAY_MS = 3000;
/** arXiv's OAI datestamps are days (granularity YYYY-MM-DD). */
const OAI_DAY = /^\d{4}-\d{2}-\d{2}$/;

interface HarvestOptions extends Partial<PoliteHttpOptions> {
  baseUrl?: string;
  /** First datestamp (inclusive, YYYY-MM-DD); default: where the last complete harvest ended. */
  from?: string;
  /** Last datestamp (inclusive, YYYY-MM-DD); default: open-ended. */
  until?: string;
  /** An OAI set such as `cs` or `physics:hep-th`; each set keeps its own progress. */
  set?: string;
  onPage?: (page: number, summary: HarvestSummary) => void;
  onReject?: (reject: Reject) => void;
}

export interface HarvestSummary extends ImportSummary {
  pages: number;
  /** Deleted records seen; known papers among them are marked withdrawn. */
  deleted: number;
  /** The run continued a list an earlier, interrupted run had started. */
  resumed: boolean;
  from: string | null;
  until: string | null;
  /** Where the next incremental harvest starts. */
  nextFrom: string | null;
}

/** The harvest_state row of a set: progress is per set, so `cs` and everything never mix. */
export function harvestKey(set?: string): string {
  return set ? `arxiv-oai:${set}` : 'arxiv-oai';
}

function checkDay(name: string, v: string | undefined): void {
  if (v !== undefined && (!OAI_DAY.test(v) || Number.isNaN(Date.parse(v)))) {
    throw new OaiError(
      `--${name} must be a date like 2025-01-31 (arXiv's OAI granularity is a day), got ${JSON.stringify(v)}`,
      'badArgument',
    );
  }
}

/** The URL of a list's first page or of the page a resumption token names (the token replaces all else). */
export function listUrl(
  base: string,
  verb: string,
  p: {
    token?: string | null;
    from?: string | null;
    until?: string | null;
    set?: string | null;
    metadataPrefix?: string;
  },
): string {
  const q = new URLSearchParams({ verb });
  if (p.token) q.set('resumptionToken', p.token);
  else {
    q.set('metadataPrefix', p.metadataPrefix ?? 'arXiv');
    if (p.from) q.set('from', p.from);
    if (p.until) q.set('until', p.until);
    if (p.set) q.set('set', p.set);
  }
  return `${base}?${q}`;
}

/** Fetch and parse one page; HTTP and OAI errors other than noRecordsMatch throw OaiError. */
async function fetchOaiPage(http: PoliteHttp, url: string): Promise<OaiPage> {
  const res = await http.get(url);
  if (res.status !== 200)
    throw new OaiError(`OAI-PMH: HTTP ${res.status} for ${url}: ${res.body.slice(0, 160).replace(/\s+/g, ' ')}`, null);
  const page = parseOaiResponse(res.body);
  if (page.error && page.error.code !== 'noRecordsMatch') {
    throw new OaiError(
      `OAI-PMH error ${page.error.code}: ${page.error.message || '(no message)'} (${url})`,
      page.error.code,
    );
  }
  return page;
}

/**
 * Every page of a list (ListRecords, ListIdentifiers …), following resumption tokens until a page
 * comes without one or with an empty one. noRecordsMatch yields one empty page.
 */
export async function* listPages(
  http: PoliteHttp,
  base: string,
  verb: string,
  p: Parameters<typeof listUrl>[2],
): AsyncGenerator<OaiPage> {
  let token = p.token ?? null;
  for (;;) {
    const page = await fetchOaiPage(http, listUrl(base, verb, { ...p, token }));
    yield page;
    token = page.resumptionToken?.value ?? null;
    if (!token) return;
  }
}

function laterDay(a: string | null, b: string | null): string | null {
  if (!a) return b;
  if (!b) return a;
  return a >= b ? a : b;
}

/**
 * Harvest arXiv's OAI-PMH ListRecords (metadataPrefix arXiv) into the paper store.
 * - Incremental: without `from`, starts at the datestamp where the last complete harvest ended.
 * - Resumable: after each page is committed its resumption token is saved; a run that finds a
 *   saved token (and is not given a different window) continues from it.
 * - Polite: one request per OAI_REQUEST_DELAY_MS; 503 + Retry-After is waited out (capped).
 * A record that cannot be read is a reject (place: page URL and record number); the rest goes in.
 *
 * @example
 * const s = await harvestOai(db, { from: '2025-01-01' }); // s.inserted, s.updated, s.nextFrom …
 */
export async function harvestOai(db: Db, opts: HarvestOptions = {}): Promise<HarvestSummary> {
  checkDay('from', opts.from);
  checkDay('until', opts.until);
  const base = opts.baseUrl ?? ARXIV_OAI_URL;
  const key = harvestKey(opts.set);
  const http = new PoliteHttp({ ...opts, delayMs: opts.delayMs ?? OAI_REQUEST_DELAY_MS });
  const state = await getHarvestState(db, key);
  const prevDatestamp = state?.datestamp ?? null;
  const sameWindow =
    (opts.from === undefined || opts.from === state?.run_from) &&
    (opts.until === undefined || opts.until === state?.run_until);
  const resumed = !!state?.resumption_token && sameWindow;
  const from = resumed ? state!.run_from : (opts.from ?? prevDatestamp);
  const until = resumed ? state!.run_until : (opts.until ?? null);
  const summary: HarvestSummary = {
    ...emptySummary(),
    pages: 0,
    deleted: 0,
    resumed,
    from,
    until,
    nextFrom: prevDatestamp,
  };
  const reject = (r: Reject) => {
    summary.rejected++;
    summary.rejects.push(r);
    opts.onReject?.(r);
  };

  let token = resumed ? state!.resumption_token : null;
  for (;;) {
    const url = listUrl(base, 'ListRecords', { token, from, until, set: opts.set });
    let page: OaiPage;
    try {
      page = await fetchOaiPage(http, url);
    } catch (err) {
      if (err instanceof OaiError && err.code === 'badResumptionToken' && token) {
        // Tokens expire; the saved one is useless now. Forget it so the next run restarts the window.
        await saveHarvestState(db, key, {
          datestamp: prevDatestamp,
          resumption_token: null,
          run_from: from,
          run_until: until,
        });
        throw new OaiError(
          `${err.message}. The saved resumption token has expired; run the harvest again to restart from ${from ?? 'the beginning'}.`,
          err.code,
        );
      }
      throw err;
    }
    summary.pages++;
    const papers: PaperRecord[] = [];
    const deletedIds: string[] = [];
    page.records.forEach((rec, i) => {
      summary.read++;
      if (rec.header.deleted) {
        summary.deleted++;
        const id = arxivIdFromOaiIdentifier(rec.header.identifier);
        if (id) deletedIds.push(id);
        return;
      }
      if (rec.metadata instanceof Error || rec.metadata === null) {
        reject({
          file: url,
          line: i + 1,
          reason: `${rec.header.identifier}: ${rec.metadata?.message ?? 'no metadata'}`,
        });
        return;
      }
      try {
        papers.push(oaiRecordToPaper(rec.metadata, rec.header.datestamp || null));
      } catch (err) {
        reject({ file: url, line: i + 1, reason: `${rec.header.identifier}: ${(err as Error).message}` });
      }
    });
    // A deleted record of a paper we hold marks it withdrawn; one we never saw is not invented.
    for (const id of deletedIds) {
      if (await findPaperByArxivId(db, id)) papers.push({ ...emptyRecord(id), withdrawn: true });
    }
    token = page.resumptionToken?.value ?? null;
    const done = !token;
    // Next time start from the end of this window: `until`, else the day the server answered.
    const nextFrom = done ? laterDay(prevDatestamp, until ?? page.responseDate?.slice(0, 10) ?? null) : prevDatestamp;
    // The page's papers and the token that follows them commit together, so a re-run after a
    // crash neither skips a page nor reads one twice.
    const status = await retryWhileBusy(
      () =>
        withTransaction(db, async (tdb) => {
          const { status } = await upsertPapers(tdb, papers);
          await saveHarvestState(tdb, key, {
            datestamp: nextFrom,
            resumption_token: token,
            run_from: from,
            run_until: until,
          });
          return status;
        }),
      { budgetMs: IMPORT_BUSY_WAIT_MS },
    );
    await recordWrites(db, summary, status);
    summary.nextFrom = nextFrom;
    opts.onPage?.(summary.pages, summary);
    if (done) return summary;
  }
}
