import { once } from 'node:events';
import fs from 'node:fs';
import zlib from 'node:zlib';

/**
 * Kaggle-format arXiv snapshot lines, generated from real listing records (realistic field sizes)
 * with new ids: the input of bench:import's million-paper run and bench:mixed's import beside traffic.
 */
/** gzip level for the generated file: 1 is fast to write, and decompression speed barely depends on it. */
const GZIP_LEVEL = 1;

/** A Kaggle-snapshot line built from a real listing record (realistic field sizes) with a new id. */
export function kaggleLine(
  n: number,
  real: { title: string; summary: string; authors: string[]; categories: string[]; comment: string | null },
): string {
  // 132 months from 2015-01, 99,999 numbers each: unique five-digit new-style ids.
  const month = n % 132;
  const yy = 15 + Math.floor(month / 12);
  const mm = (month % 12) + 1;
  const id = `${yy}${String(mm).padStart(2, '0')}.${String(Math.floor(n / 132) + 1).padStart(5, '0')}`;
  const created = new Date(Date.UTC(2000 + yy, mm - 1, 1 + (n % 28))).toUTCString();
  const versions = [{ version: 'v1', created }];
  if (n % 3 === 0)
    versions.push({ version: 'v2', created: new Date(Date.parse(created) + 86_400_000 * 30).toUTCString() });
  return JSON.stringify({
    id,
    submitter: real.authors[0] ?? null,
    authors: real.authors.join(', '),
    title: real.title,
    comments: real.comment,
    'journal-ref': n % 5 === 0 ? 'J. Synthetic Res. 12 (2024) 1-20' : null,
    doi: n % 4 === 0 ? `10.1000/bench.${n}` : null,
    report_no: null,
    categories: real.categories.join(' '),
    license: 'http://creativecommons.org/licenses/by/4.0/',
    abstract: real.summary,
    versions,
    update_date: new Date(Date.parse(versions[versions.length - 1].created)).toISOString().slice(0, 10),
    authors_parsed: real.authors.map((a) => {
      const parts = a.split(' ');
      return [parts.pop() ?? '', parts.join(' '), ''];
    }),
  });
}

/** Stream `papers` generated lines into a gzip file; memory stays flat. */
export async function generateKaggle(
  file: string,
  papers: number,
  samples: Array<Parameters<typeof kaggleLine>[1]>,
): Promise<void> {
  const gz = zlib.createGzip({ level: GZIP_LEVEL });
  const out = fs.createWriteStream(file);
  gz.pipe(out);
  for (let i = 0; i < papers; i++) {
    if (!gz.write(`${kaggleLine(i, samples[i % samples.length])}\n`)) await once(gz, 'drain');
  }
  gz.end();
  await once(out, 'finish');
}

export function readSamples(files: string[], max: number) {
  const out: Array<Parameters<typeof kaggleLine>[1]> = [];
  for (const f of files) {
    for (const line of fs.readFileSync(f, 'utf8').split('\n')) {
      if (!line.trim()) continue;
      out.push(JSON.parse(line));
      if (out.length >= max) return out;
    }
  }
  return out;
}
