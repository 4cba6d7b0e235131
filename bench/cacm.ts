import fs from 'node:fs';
import path from 'node:path';
import type { IndexDoc } from '../src/search/segment.js';

/**
 * The CACM test collection (SMART format): 3,204 titles and abstracts, 64 queries, judgments for 52.
 * Fields: .I id, .T title, .W abstract, .B date, .A authors, .N and .X bookkeeping.
 */
export interface Cacm {
  docs: IndexDoc[];
  queries: Array<{ id: number; text: string }>;
  /** Query id → relevant document ids. */
  qrels: Map<number, Set<number>>;
}

function records(text: string): Array<Map<string, string>> {
  const out: Array<Map<string, string>> = [];
  let cur: Map<string, string> | null = null;
  let field = '';
  for (const line of text.split('\n')) {
    const m = /^\.([A-Z])(?:\s+(\d+))?\s*$/.exec(line);
    if (m) {
      if (m[1] === 'I') {
        cur = new Map([['I', m[2]]]);
        out.push(cur);
      }
      field = m[1];
      continue;
    }
    if (cur && field !== 'I') cur.set(field, `${cur.get(field) ?? ''}${line}\n`);
  }
  return out;
}

export function loadCacm(dir: string): Cacm {
  const docs = records(fs.readFileSync(path.join(dir, 'cacm.all'), 'latin1')).map((r) => ({
    paperId: Number(r.get('I')),
    title: (r.get('T') ?? '').trim(),
    abstract: (r.get('W') ?? '').trim(),
    authors: (r.get('A') ?? '')
      .split('\n')
      .map((s) => s.trim())
      .filter(Boolean),
    categories: [],
    org: null,
    publishedAt: null,
    hasCode: false,
  }));
  const queries = records(fs.readFileSync(path.join(dir, 'query.text'), 'latin1')).map((r) => ({
    id: Number(r.get('I')),
    text: (r.get('W') ?? '').replace(/\s+/g, ' ').trim(),
  }));
  const qrels = new Map<number, Set<number>>();
  for (const line of fs.readFileSync(path.join(dir, 'qrels.text'), 'latin1').split('\n')) {
    const [q, d] = line.trim().split(/\s+/).map(Number);
    if (!q || !d) continue;
    if (!qrels.has(q)) qrels.set(q, new Set());
    qrels.get(q)!.add(d);
  }
  return { docs, queries, qrels };
}
