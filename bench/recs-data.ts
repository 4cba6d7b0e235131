import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listingDayFromFile, parseListingLine } from '../src/ingest/arxiv-listings/parse.js';
import { hfDayFromFile, parseHfItem, unwrapDay } from '../src/ingest/hf-daily/parse.js';
import type { Pick } from './recs-protocol.js';

/** One paper of the candidate corpus, as the evaluation sees it. */
export interface CorpusPaper {
  id: string;
  title: string;
  abstract: string;
  authors: string[];
  categories: string[];
  /** The first listing day it appears on. */
  firstListed: string;
}

export interface RecsData {
  papers: CorpusPaper[];
  picks: Pick[];
  /** Malformed records, each with its place; they were skipped. */
  skipped: string[];
}

/** Every file under dir whose name passes `keep`, sorted by name (the day). */
function filesUnder(dir: string, keep: (name: string) => boolean): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else if (keep(e.name)) out.push(p);
    }
  };
  walk(dir);
  return out.sort((a, b) => (path.basename(a) < path.basename(b) ? -1 : 1));
}

/**
 * The listings (the corpus: a paper's text is taken from the first day it is listed) and the
 * Hugging Face days (the picks: who submitted which paper on which day). Picks of papers outside
 * the listings are dropped, as the protocol says.
 */
export function loadRecsData(listingsDir: string, hfDir: string): RecsData {
  const skipped: string[] = [];
  const index = new Map<string, number>();
  const papers: CorpusPaper[] = [];
  for (const file of filesUnder(listingsDir, (n) => listingDayFromFile(n) !== null && n.endsWith('.jsonl'))) {
    const day = listingDayFromFile(file)!;
    const lines = fs.readFileSync(file, 'utf8').split('\n');
    lines.forEach((text, i) => {
      if (!text.trim()) return;
      try {
        const r = parseListingLine(JSON.parse(text), day);
        if (index.has(r.paper.arxivId)) return;
        index.set(r.paper.arxivId, papers.length);
        papers.push({
          id: r.paper.arxivId,
          title: r.paper.title,
          abstract: r.paper.abstract,
          authors: r.paper.authors,
          categories: r.paper.categories,
          firstListed: day,
        });
      } catch (err) {
        skipped.push(`${file}:${i + 1}: ${(err as Error).message}`);
      }
    });
  }
  const picks: Pick[] = [];
  for (const file of filesUnder(hfDir, (n) => hfDayFromFile(n) !== null)) {
    const day = hfDayFromFile(file)!;
    let items: unknown[];
    try {
      items = unwrapDay(JSON.parse(fs.readFileSync(file, 'utf8')), day);
    } catch (err) {
      skipped.push(`${file}: ${(err as Error).message}`);
      continue;
    }
    items.forEach((raw, i) => {
      try {
        const r = parseHfItem(raw, day, i + 1);
        const paper = index.get(r.paper.arxivId);
        if (r.submittedBy && paper !== undefined) picks.push({ reader: r.submittedBy, day, paper });
      } catch (err) {
        skipped.push(`${file} item ${i + 1}: ${(err as Error).message}`);
      }
    });
  }
  return { papers, picks, skipped };
}

/**
 * The shared data's tarballs unpacked to a temporary folder (removed by the caller with
 * `fs.rmSync`), for when no folders are given: `{ listings, hfDaily, tmp }`.
 */
export function unpackSharedData(sharedData: string): { listings: string; hfDaily: string; tmp: string } {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-eval-recs-'));
  const tarball = (dir: string) => {
    const f = fs.readdirSync(dir).find((n) => n.endsWith('.tar.zst'));
    if (!f) throw new Error(`no .tar.zst in ${dir}`);
    return path.join(dir, f);
  };
  const listings = path.join(tmp, 'listings');
  const hfDaily = path.join(tmp, 'hf');
  fs.mkdirSync(listings);
  fs.mkdirSync(hfDaily);
  execFileSync('tar', ['--zstd', '-xf', tarball(path.join(sharedData, 'arxiv-listings')), '-C', listings]);
  execFileSync('tar', ['--zstd', '-xf', tarball(path.join(sharedData, 'hf-daily')), '-C', hfDaily]);
  return { listings, hfDaily, tmp };
}
