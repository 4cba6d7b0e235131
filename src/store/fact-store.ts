import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../db/open.js';
import type { FactKind, ResultFact } from '../facts/fact.js';
import type { FactCondition } from '../search/query.js';
import { withTransaction } from './transaction.js';

/**
 * Result facts of papers (migration 0047): one row a fact, replaced as a whole per paper when its
 * abstract is extracted again. Which papers still need extracting is papers.facts_version: NULL
 * for a new or changed abstract (paper-store sets it), the extractor's version once written.
 */

/** Fact rows per multi-row INSERT: 13 columns, 2,000 rows = 26,000 parameters (SQLite allows 32,766). */
const FACT_INSERT_CHUNK_ROWS = 2000;
/** Ids per `IN (…)` list. */
const ID_LIST_CHUNK = 1000;

export interface PaperAbstract {
  id: number;
  abstract: string;
}

function chunks<T>(items: T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/**
 * Papers whose facts are missing (abstract new or changed), after `afterId` in id order.
 *
 * @example
 * for (let after = 0, rows; (rows = await papersNeedingFacts(db, after, 500)).length; after = rows.at(-1)!.id) …
 */
export async function papersNeedingFacts(db: Db, afterId: number, limit: number): Promise<PaperAbstract[]> {
  try {
    return await db.kysely
      .selectFrom('papers')
      .select(['id', 'abstract'])
      .where('facts_version', 'is', null)
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  } catch (err) {
    throw new Error(`store: cannot list papers needing facts: ${(err as Error).message}`);
  }
}

/** Every paper after `afterId` in id order (a rebuild walks them all). */
export async function paperAbstracts(db: Db, afterId: number, limit: number): Promise<PaperAbstract[]> {
  try {
    return await db.kysely
      .selectFrom('papers')
      .select(['id', 'abstract'])
      .where('id', '>', afterId)
      .orderBy('id')
      .limit(limit)
      .execute();
  } catch (err) {
    throw new Error(`store: cannot list paper abstracts: ${(err as Error).message}`);
  }
}

/** Facts written by an older extractor are extracted again: mark them missing. Returns how many. */
export async function markOutdatedFacts(db: Db, version: number): Promise<number> {
  try {
    const r = await db.kysely
      .updateTable('papers')
      .set({ facts_version: null })
      .where('facts_version', '<', version)
      .executeTakeFirst();
    return Number(r.numUpdatedRows);
  } catch (err) {
    throw new Error(`store: cannot mark outdated facts: ${(err as Error).message}`);
  }
}

/** How many papers still need extracting. */
export async function countPapersNeedingFacts(db: Db): Promise<number> {
  const r = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('facts_version', 'is', null)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

/**
 * Replace the facts of these papers and record the extractor version, in one transaction.
 * A paper with no facts gets none (and its version, so it is not extracted again).
 */
export async function replacePaperFacts(
  db: Db,
  version: number,
  batch: Array<{ paperId: number; facts: ResultFact[] }>,
): Promise<number> {
  if (batch.length === 0) return 0;
  try {
    return await withTransaction(db, async (tdb) => {
      const trx = tdb.kysely;
      const ids = batch.map((b) => b.paperId);
      for (const part of chunks(ids, ID_LIST_CHUNK)) {
        await trx.deleteFrom('paper_facts').where('paper_id', 'in', part).execute();
        await trx
          .updateTable('papers')
          .set({ facts_version: version, facts_json: null })
          .where('id', 'in', part)
          .execute();
      }
      // The cards' copy: one UPDATE per paper with facts (about half of them).
      for (const { paperId, facts } of batch)
        if (facts.length > 0)
          await trx
            .updateTable('papers')
            .set({ facts_json: JSON.stringify(facts) })
            .where('id', '=', paperId)
            .execute();
      const rows = batch.flatMap(({ paperId, facts }) =>
        facts.map((f, position) => ({
          paper_id: paperId,
          position,
          kind: f.kind,
          value: f.value,
          value_max: f.value_max,
          unit: f.unit,
          span: f.span,
          metric: f.metric,
          setting: f.setting,
          baseline: f.baseline,
          metric_key: f.metric?.toLowerCase() ?? null,
          setting_key: f.setting?.toLowerCase() ?? null,
        })),
      );
      for (const part of chunks(rows, FACT_INSERT_CHUNK_ROWS))
        await trx.insertInto('paper_facts').values(part).execute();
      return rows.length;
    });
  } catch (err) {
    throw new Error(
      `store: cannot write facts of ${batch.length} papers (first ${batch[0].paperId}): ${(err as Error).message}`,
    );
  }
}

/** A stored fact row as a fact (numbers come back as text from PostgreSQL's numeric). */
function toFact(r: {
  span: string;
  value: number | string;
  value_max: number | string | null;
  unit: string;
  kind: string;
  metric: string | null;
  setting: string | null;
  baseline: string | null;
}): ResultFact {
  return {
    span: r.span,
    value: Number(r.value),
    value_max: r.value_max === null ? null : Number(r.value_max),
    unit: r.unit,
    kind: r.kind as FactKind,
    metric: r.metric,
    setting: r.setting,
    baseline: r.baseline,
  };
}

/** The facts of these papers, in abstract order; papers without facts are absent from the map. */
export async function factsOfPapers(db: Db, paperIds: readonly number[]): Promise<Map<number, ResultFact[]>> {
  const out = new Map<number, ResultFact[]>();
  for (const part of chunks([...new Set(paperIds)], ID_LIST_CHUNK)) {
    if (part.length === 0) continue;
    const rows = await db.kysely
      .selectFrom('paper_facts')
      .select(['paper_id', 'kind', 'value', 'value_max', 'unit', 'span', 'metric', 'setting', 'baseline'])
      .where('paper_id', 'in', part)
      .orderBy('paper_id')
      .orderBy('position')
      .execute();
    for (const r of rows) {
      const list = out.get(r.paper_id) ?? [];
      list.push(toFact(r));
      out.set(r.paper_id, list);
    }
  }
  return out;
}

/** Count of fact rows and of papers with at least one (for the CLI and the bench). */
export async function factTotals(db: Db): Promise<{ facts: number; papers: number }> {
  const r = await sql<{ facts: number | string; papers: number | string }>`
    select count(*) as facts, count(distinct paper_id) as papers from paper_facts`.execute(db.kysely);
  return { facts: Number(r.rows[0].facts), papers: Number(r.rows[0].papers) };
}

function likeContains(s: string): string {
  return `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * The SQL test "this paper has a fact meeting `cond`" (any fact when `cond` is undefined), for
 * the search filters has:results, speedup:>2, kind:, metric:, setting:. One fact must meet every
 * part: `speedup:>2 setting:gpu` is a speedup above 2 on a GPU, not a speedup and a GPU elsewhere.
 * A range meets `>` by its upper end and `<` by its lower end.
 */
export function paperHasFactSql(cond: FactCondition | undefined): Expression<SqlBool> {
  const parts = [sql`pf.paper_id = papers.id`];
  if (cond?.kind) parts.push(sql`pf.kind = ${cond.kind}`);
  if (cond?.metric) parts.push(sql`pf.metric_key like ${likeContains(cond.metric)} escape '\\'`);
  if (cond?.setting) parts.push(sql`pf.setting_key like ${likeContains(cond.setting)} escape '\\'`);
  const c = cond?.compare;
  if (c) {
    const upper = sql`coalesce(pf.value_max, pf.value)`;
    if (c.op === '>') parts.push(sql`${upper} > ${c.value}`);
    else if (c.op === '>=') parts.push(sql`${upper} >= ${c.value}`);
    else if (c.op === '<') parts.push(sql`pf.value < ${c.value}`);
    else if (c.op === '<=') parts.push(sql`pf.value <= ${c.value}`);
    else parts.push(sql`pf.value <= ${c.value} and ${upper} >= ${c.value}`);
  }
  return sql<SqlBool>`exists (select 1 from paper_facts pf where ${sql.join(parts, sql` and `)})`;
}

/** Ids of the papers with a fact meeting `cond` (for the in-process search index's filter). */
export async function paperIdsWithFact(db: Db, cond: FactCondition | undefined): Promise<Set<number>> {
  try {
    const parts = [sql`1 = 1`];
    if (cond?.kind) parts.push(sql`kind = ${cond.kind}`);
    if (cond?.metric) parts.push(sql`metric_key like ${likeContains(cond.metric)} escape '\\'`);
    if (cond?.setting) parts.push(sql`setting_key like ${likeContains(cond.setting)} escape '\\'`);
    const c = cond?.compare;
    if (c) {
      const upper = sql`coalesce(value_max, value)`;
      if (c.op === '>') parts.push(sql`${upper} > ${c.value}`);
      else if (c.op === '>=') parts.push(sql`${upper} >= ${c.value}`);
      else if (c.op === '<') parts.push(sql`value < ${c.value}`);
      else if (c.op === '<=') parts.push(sql`value <= ${c.value}`);
      else parts.push(sql`value <= ${c.value} and ${upper} >= ${c.value}`);
    }
    const r = await sql<{
      paper_id: number;
    }>`select distinct paper_id from paper_facts where ${sql.join(parts, sql` and `)}`.execute(db.kysely);
    return new Set(r.rows.map((x) => Number(x.paper_id)));
  } catch (err) {
    throw new Error(`store: cannot filter papers by facts: ${(err as Error).message}`);
  }
}

/** What a ranking selects (model/result-ranking.ts): facts of one kind, narrowed. */
export interface RankingFilter {
  kind: FactKind;
  /** Case-insensitive substring of the fact's metric / setting. */
  metric: string | null;
  setting: string | null;
  /** Papers published on or after this day (YYYY-MM-DD), and before `until` (exclusive). */
  since: string | null;
  until: string | null;
}

/**
 * The facts a ranking reads, as a FROM and WHERE. Papers are joined only for a window: reading each
 * fact's paper row (abstract and all) cost more than the ranking itself on the full corpus.
 */
function rankingSource(f: RankingFilter, unit: string | null) {
  const parts = [sql`pf.kind = ${f.kind}`];
  if (unit !== null) parts.push(sql`pf.unit = ${unit}`);
  if (f.metric) parts.push(sql`pf.metric_key like ${likeContains(f.metric.toLowerCase())} escape '\\'`);
  if (f.setting) parts.push(sql`pf.setting_key like ${likeContains(f.setting.toLowerCase())} escape '\\'`);
  if (f.since) parts.push(sql`p.published_at >= ${f.since}`);
  if (f.until) parts.push(sql`p.published_at < ${f.until}`);
  const from = f.since || f.until ? sql`paper_facts pf join papers p on p.id = pf.paper_id` : sql`paper_facts pf`;
  return sql`${from} where ${sql.join(parts, sql` and `)}`;
}

/** The units the facts of a ranking come in, with how many papers claim each; most papers first. */
export async function rankingUnits(db: Db, f: RankingFilter): Promise<Array<{ unit: string; papers: number }>> {
  try {
    const r = await sql<{ unit: string; papers: number | string }>`
      select pf.unit as unit, count(distinct pf.paper_id) as papers
      from ${rankingSource(f, null)}
      group by pf.unit order by papers desc, unit`.execute(db.kysely);
    return r.rows.map((x) => ({ unit: x.unit, papers: Number(x.papers) }));
  } catch (err) {
    throw new Error(`store: cannot count ranking units of ${f.kind}: ${(err as Error).message}`);
  }
}

export interface RankedFact {
  paperId: number;
  fact: ResultFact;
  /** The number ranked on: a range's upper end, else the value. */
  rankValue: number;
}

/**
 * One page of a ranking: each paper once, by its largest claim of this kind and unit (a range
 * counts by its upper end), largest first; ties by the paper added later. `total` is the number of papers.
 * One statement on both databases: a window picks each paper's best fact, another counts them.
 */
export async function rankedFacts(
  db: Db,
  f: RankingFilter,
  unit: string,
  limit: number,
  offset: number,
): Promise<{ items: RankedFact[]; total: number }> {
  try {
    const r = await sql<{
      paper_id: number;
      kind: string;
      value: number | string;
      value_max: number | string | null;
      unit: string;
      span: string;
      metric: string | null;
      setting: string | null;
      baseline: string | null;
      top: number | string;
      total: number | string;
    }>`
      with best as (
        select pf.paper_id, pf.kind, pf.value, pf.value_max, pf.unit, pf.span, pf.metric, pf.setting, pf.baseline,
          coalesce(pf.value_max, pf.value) as top,
          row_number() over (partition by pf.paper_id order by coalesce(pf.value_max, pf.value) desc, pf.position) as rn
        from ${rankingSource(f, unit)}
      )
      select paper_id, kind, value, value_max, unit, span, metric, setting, baseline, top, count(*) over () as total
      from best where rn = 1
      order by top desc, paper_id desc
      limit ${limit} offset ${offset}`.execute(db.kysely);
    return {
      total: r.rows.length > 0 ? Number(r.rows[0].total) : 0,
      items: r.rows.map((x) => ({
        paperId: Number(x.paper_id),
        rankValue: Number(x.top),
        fact: toFact(x),
      })),
    };
  } catch (err) {
    throw new Error(`store: cannot rank ${f.kind} facts: ${(err as Error).message}`);
  }
}

/**
 * The metrics (or settings) most papers claim results on, per kind: the index of rankings.
 * Returns up to `perKind` terms a kind, each with one of its spellings and its paper count.
 */
export async function commonFactTerms(
  db: Db,
  field: 'metric' | 'setting',
  perKind: number,
): Promise<Array<{ kind: FactKind; term: string; papers: number }>> {
  const key = field === 'metric' ? sql.ref('metric_key') : sql.ref('setting_key');
  const label = field === 'metric' ? sql.ref('metric') : sql.ref('setting');
  try {
    const r = await sql<{ kind: string; term: string; papers: number | string }>`
      with counted as (
        select kind, ${key} as k, min(${label}) as term, count(distinct paper_id) as papers
        from paper_facts where ${key} is not null group by kind, ${key}
      ), ranked as (
        select kind, term, papers, row_number() over (partition by kind order by papers desc, k) as rn from counted
      )
      select kind, term, papers from ranked where rn <= ${perKind} order by kind, papers desc, term`.execute(db.kysely);
    return r.rows.map((x) => ({ kind: x.kind as FactKind, term: x.term, papers: Number(x.papers) }));
  } catch (err) {
    throw new Error(`store: cannot list common fact ${field}s: ${(err as Error).message}`);
  }
}

/** Papers with facts of each kind (the index's counts). */
export async function papersPerFactKind(db: Db): Promise<Map<FactKind, number>> {
  const r = await sql<{ kind: string; papers: number | string }>`
    select kind, count(distinct paper_id) as papers from paper_facts group by kind`.execute(db.kysely);
  return new Map(r.rows.map((x) => [x.kind as FactKind, Number(x.papers)]));
}

/** The newest publication day of any paper before `until` (YYYY-MM-DD, exclusive): a ranking's "as of" day. */
export async function latestPublishedDay(db: Db, until: string): Promise<string | null> {
  const r = await db.kysely
    .selectFrom('papers')
    .select((eb) => eb.fn.max('published_at').as('last'))
    .where('published_at', '<', until)
    .executeTakeFirst();
  return r?.last ? String(r.last).slice(0, 10) : null;
}
