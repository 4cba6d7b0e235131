import { GrowableU8, GrowableU32 } from './growable.js';
import { isAsciiText, isAsciiWordChar, MAX_WORD_CHARS, rawWords } from './tokenize.js';

/** Past this many distinct words the table starts afresh, so hostile text cannot grow it without bound. */
const MAX_WORDS = 4_000_000;
const FNV_OFFSET = 0x811c9dc5;
const FNV_PRIME = 0x01000193;

/**
 * Words of a text → numbers, fast: the per-word work of indexing a million papers. The owner
 * decides each distinct word's number once (`resolve`, given the word in lowercase: e.g. the id of
 * its index term, or -1 to leave it out). After that an ASCII word is found by hashing its
 * lowercased characters into an open-addressing table, with no string made for it; a JavaScript
 * Map needs a new string per word and cost three times as much here. Text with other characters
 * (rare in arXiv metadata) goes word by word through a Map.
 *
 * @example
 * const ids = new GrowableU32();
 * new WordTable((w) => vocabulary.indexOf(w)).appendIds('Graph networks', ids);
 */
export class WordTable {
  /** Pairs of (hash, entry + 1); entry 0 marks an empty slot. */
  private slots: Int32Array;
  private mask: number;
  private keyStart = new GrowableU32();
  private keyLength = new GrowableU8();
  private chars = new GrowableU8();
  /** Each entry's number + 1 (numbers are ≥ -1). */
  private values = new GrowableU32();
  private other = new Map<string, number>();

  constructor(
    private readonly resolve: (word: string) => number,
    private readonly maxWords = MAX_WORDS,
  ) {
    this.slots = new Int32Array(2 << 16);
    this.mask = (1 << 16) - 1;
  }

  /** Appends the numbers (those ≥ 0) of the words of `text` to `out`, in order. */
  appendIds(text: string, out: GrowableU32): void {
    if (!isAsciiText(text)) {
      for (const w of rawWords(text)) {
        let v = this.other.get(w);
        if (v === undefined) {
          v = this.resolve(w.toLowerCase());
          if (this.other.size >= this.maxWords) this.other.clear();
          this.other.set(w, v);
        }
        if (v >= 0) out.push(v);
      }
      return;
    }
    const n = text.length;
    let i = 0;
    while (i < n) {
      let c = text.charCodeAt(i);
      if (!isAsciiWordChar(c)) {
        i++;
        continue;
      }
      const start = i;
      let h = FNV_OFFSET;
      // `| 0x20` lowercases a letter and leaves a digit as it is.
      for (;;) {
        h = Math.imul(h ^ (c | 0x20), FNV_PRIME);
        i++;
        if (i >= n) break;
        c = text.charCodeAt(i);
        if (!isAsciiWordChar(c)) break;
      }
      if (i - start > MAX_WORD_CHARS) continue;
      const v = this.lookup(text, start, i - start, h);
      if (v >= 0) out.push(v);
    }
  }

  private lookup(text: string, start: number, length: number, h: number): number {
    const slots = this.slots;
    let s = h & this.mask;
    for (;;) {
      const e = slots[2 * s + 1];
      if (e === 0) break;
      if (slots[2 * s] === h && this.keyLength.data[e - 1] === length && this.sameChars(e - 1, text, start, length))
        return this.values.data[e - 1] - 1;
      s = (s + 1) & this.mask;
    }
    const word = text.slice(start, start + length).toLowerCase();
    const v = this.resolve(word);
    if (this.values.length >= this.maxWords) this.clear();
    this.insert(word, h, v);
    return v;
  }

  private sameChars(e: number, text: string, start: number, length: number): boolean {
    const chars = this.chars.data;
    const at = this.keyStart.data[e];
    for (let j = 0; j < length; j++) if (chars[at + j] !== (text.charCodeAt(start + j) | 0x20)) return false;
    return true;
  }

  private insert(word: string, h: number, v: number): void {
    const e = this.values.length;
    this.keyStart.push(this.chars.length);
    this.keyLength.push(word.length);
    for (let j = 0; j < word.length; j++) this.chars.push(word.charCodeAt(j));
    this.values.push(v + 1);
    // Kept at most half full, so probe runs stay short.
    if (2 * (e + 1) > this.mask + 1) this.grow();
    else this.place(h, e);
  }

  private place(h: number, e: number): void {
    let s = h & this.mask;
    while (this.slots[2 * s + 1] !== 0) s = (s + 1) & this.mask;
    this.slots[2 * s] = h;
    this.slots[2 * s + 1] = e + 1;
  }

  private grow(): void {
    const size = 2 * (this.mask + 1);
    this.slots = new Int32Array(2 * size);
    this.mask = size - 1;
    const chars = this.chars.data;
    for (let e = 0; e < this.values.length; e++) {
      let h = FNV_OFFSET;
      const at = this.keyStart.data[e];
      for (let j = 0; j < this.keyLength.data[e]; j++) h = Math.imul(h ^ chars[at + j], FNV_PRIME);
      this.place(h, e);
    }
  }

  private clear(): void {
    this.slots.fill(0);
    this.keyStart.length = 0;
    this.keyLength.length = 0;
    this.chars.length = 0;
    this.values.length = 0;
  }
}
