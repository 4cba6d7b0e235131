import type { Kysely } from 'kysely';

// Why: /authors/{name} found an author's spellings with `lower(name) LIKE '% m_ll_r'` over every
// row of paper_authors: a full scan, 1–1.7 s of CPU a look-up at 1,000,000 papers (bench:recs).
// author_names keeps each distinct spelling once with its surname's skeleton (model/author-names.ts,
// nameSkeleton: the last word, lower-cased, vowels and non-ASCII letters as `_`), indexed, so a
// look-up reads the few spellings that share it. paper-store adds new spellings as papers arrive.
// The skeleton function is copied here, frozen: a later change to it needs a migration that
// re-keys the table, never an edit of this one.
const BACKFILL_PAGE = 5000;

function skeleton(name: string): string {
  const words = name.toLowerCase().split(' ');
  return [...(words[words.length - 1] ?? '')]
    .map((ch) => (/[a-z0-9]/.test(ch) && !/[aeiouycnsz]/.test(ch) ? ch : '_'))
    .join('');
}

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable('author_names')
    .addColumn('name', 'text', (c) => c.primaryKey())
    .addColumn('skeleton', 'text', (c) => c.notNull())
    .execute();
  let after: string | null = null;
  for (;;) {
    let q = db.selectFrom('paper_authors').select('name').distinct().orderBy('name').limit(BACKFILL_PAGE);
    if (after !== null) q = q.where('name', '>', after);
    const rows = (await q.execute()) as Array<{ name: string }>;
    if (rows.length === 0) break;
    await db
      .insertInto('author_names')
      .values(rows.map((r) => ({ name: r.name, skeleton: skeleton(r.name) })))
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    after = rows[rows.length - 1].name;
  }
  await db.schema.createIndex('author_names_skeleton').on('author_names').columns(['skeleton']).execute();
}
