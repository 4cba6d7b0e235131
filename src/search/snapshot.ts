import { type Bm25Stats, bm25Idf, Dictionaries, type Segment } from './segment.js';

/**
 * A keyword index's main segment as bytes, so a restart (or each `paperboy search`) loads it in a
 * second instead of re-tokenising every paper. Layout: 4-byte header length, a JSON header
 * (format, dictionaries, statistics, array table, the caller's metadata), then the typed arrays,
 * each 8-byte aligned.
 */
const SNAPSHOT_FORMAT = 'paperboy-keyword-index/1';

const ARRAYS = [
  'paperIds',
  'alive',
  'day',
  'orgId',
  'hasCode',
  'catStart',
  'catIds',
  'termStart',
  'postDocs',
  'postImpacts',
  'blockStart',
  'blockMax',
  'blockLast',
  'authorStart',
  'authorDocs',
] as const;
type ArrayName = (typeof ARRAYS)[number];
const CTORS = { Int32Array, Uint8Array, Uint16Array, Uint32Array } as const;

interface Header {
  format: string;
  meta: Record<string, unknown>;
  dict: { terms: string[]; authorWords: string[]; categories: string[]; orgs: string[] };
  stats: { numDocs: number; avgTitle: number; avgAbstract: number; avgAuthors: number; scale: number };
  seg: { numDocs: number; sumTitle: number; sumAbstract: number; sumAuthors: number; sorted: boolean };
  arrays: Array<{ name: ArrayName; type: keyof typeof CTORS; offset: number; length: number }>;
}

const keysInOrder = (m: Map<string, number>) => {
  const out: string[] = new Array(m.size);
  for (const [k, v] of m) out[v] = k;
  return out;
};

export function encodeSnapshot(
  dict: Dictionaries,
  seg: Segment,
  stats: Bm25Stats,
  meta: Record<string, unknown>,
): Buffer {
  const arrays: Header['arrays'] = [];
  let offset = 0;
  for (const name of ARRAYS) {
    const a = seg[name];
    arrays.push({ name, type: a.constructor.name as keyof typeof CTORS, offset, length: a.length });
    offset += Math.ceil(a.byteLength / 8) * 8;
  }
  const header: Header = {
    format: SNAPSHOT_FORMAT,
    meta,
    dict: {
      terms: keysInOrder(dict.terms),
      authorWords: keysInOrder(dict.authorWords),
      categories: keysInOrder(dict.categories),
      orgs: keysInOrder(dict.orgs),
    },
    stats: {
      numDocs: stats.numDocs,
      avgTitle: stats.avgTitle,
      avgAbstract: stats.avgAbstract,
      avgAuthors: stats.avgAuthors,
      scale: stats.scale,
    },
    seg: {
      numDocs: seg.numDocs,
      sumTitle: seg.sumTitle,
      sumAbstract: seg.sumAbstract,
      sumAuthors: seg.sumAuthors,
      sorted: seg.sorted,
    },
    arrays,
  };
  const head = Buffer.from(JSON.stringify(header));
  const start = Math.ceil((4 + head.length) / 8) * 8;
  const out = Buffer.alloc(start + offset);
  out.writeUInt32LE(head.length, 0);
  head.copy(out, 4);
  for (const a of arrays) {
    const src = seg[a.name];
    Buffer.from(src.buffer, src.byteOffset, src.byteLength).copy(out, start + a.offset);
  }
  return out;
}

interface DecodedSnapshot {
  dict: Dictionaries;
  seg: Segment;
  stats: Bm25Stats;
  meta: Record<string, unknown>;
}

/** Null when the bytes are not a snapshot of this format (then the caller rebuilds). */
export function decodeSnapshot(buf: Buffer): DecodedSnapshot | null {
  try {
    const len = buf.readUInt32LE(0);
    const header = JSON.parse(buf.subarray(4, 4 + len).toString('utf8')) as Header;
    if (header.format !== SNAPSHOT_FORMAT) return null;
    const start = Math.ceil((4 + len) / 8) * 8;
    const arrays = {} as Record<ArrayName, Int32Array | Uint8Array | Uint16Array | Uint32Array>;
    for (const a of header.arrays) {
      const Ctor = CTORS[a.type];
      const bytes = a.length * Ctor.BYTES_PER_ELEMENT;
      // Copy into a fresh, aligned buffer: the file's buffer may be shared or unaligned.
      const copy = new Uint8Array(bytes);
      copy.set(buf.subarray(start + a.offset, start + a.offset + bytes));
      arrays[a.name] = new Ctor(copy.buffer);
    }
    const dict = new Dictionaries();
    for (const [i, t] of header.dict.terms.entries()) dict.terms.set(t, i);
    for (const [i, t] of header.dict.authorWords.entries()) dict.authorWords.set(t, i);
    for (const [i, t] of header.dict.categories.entries()) dict.categories.set(t, i);
    for (const [i, t] of header.dict.orgs.entries()) dict.orgs.set(t, i);
    const seg = { ...header.seg, ...arrays } as unknown as Segment;
    const termStart = seg.termStart;
    const df = (t: number) => (t + 1 < termStart.length ? termStart[t + 1] - termStart[t] : 0);
    const stats: Bm25Stats = { ...header.stats, df, idf: (t) => bm25Idf(df(t), header.stats.numDocs) };
    return { dict, seg, stats, meta: header.meta };
  } catch {
    return null;
  }
}
