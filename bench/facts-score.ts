import { type ResultFact, unitClass } from '../src/facts/fact.js';

/**
 * Scoring as results-facts/README.md describes it: a predicted fact matches an unmatched labelled
 * fact of the same abstract when the numbers agree (value or range end, within 1 %) and the unit
 * class agrees; "typed" also needs the same kind. Precision, recall and F1 over all facts, plus
 * the share of fact-free abstracts where nothing was predicted.
 */
export interface Labelled {
  id: string;
  facts: ResultFact[];
}

export interface Score {
  found: { p: number; r: number; f1: number; tp: number };
  typed: { p: number; r: number; f1: number; tp: number };
  predicted: number;
  labelled: number;
  factFree: number;
  factFreeEmpty: number;
}

/** Relative tolerance for numbers to agree. */
const NUMBER_TOLERANCE = 0.01;

function close(a: number, b: number): boolean {
  if (a === b) return true;
  return Math.abs(a - b) <= NUMBER_TOLERANCE * Math.max(Math.abs(a), Math.abs(b));
}

export function numbersAgree(p: ResultFact, g: ResultFact): boolean {
  const pv = [p.value, p.value_max].filter((v): v is number => v !== null && v !== undefined);
  const gv = [g.value, g.value_max].filter((v): v is number => v !== null && v !== undefined);
  return pv.some((a) => gv.some((b) => close(a, b)));
}

function matches(pred: ResultFact[], gold: ResultFact[], typed: boolean): number {
  const used = new Set<number>();
  let tp = 0;
  for (const p of pred) {
    const i = gold.findIndex(
      (g, j) =>
        !used.has(j) && numbersAgree(p, g) && unitClass(p.unit) === unitClass(g.unit) && (!typed || p.kind === g.kind),
    );
    if (i >= 0) {
      used.add(i);
      tp++;
    }
  }
  return tp;
}

function prf(tp: number, predicted: number, labelled: number) {
  const p = predicted === 0 ? 0 : tp / predicted;
  const r = labelled === 0 ? 0 : tp / labelled;
  return { p, r, f1: p + r === 0 ? 0 : (2 * p * r) / (p + r), tp };
}

export function scoreFacts(gold: Labelled[], predict: (i: number) => ResultFact[]): Score {
  let predicted = 0;
  let labelled = 0;
  let found = 0;
  let typed = 0;
  let factFree = 0;
  let factFreeEmpty = 0;
  gold.forEach((g, i) => {
    const pred = predict(i);
    predicted += pred.length;
    labelled += g.facts.length;
    found += matches(pred, g.facts, false);
    typed += matches(pred, g.facts, true);
    if (g.facts.length === 0) {
      factFree++;
      if (pred.length === 0) factFreeEmpty++;
    }
  });
  return {
    found: prf(found, predicted, labelled),
    typed: prf(typed, predicted, labelled),
    predicted,
    labelled,
    factFree,
    factFreeEmpty,
  };
}

/**
 * The plain regular-expression baseline the issue names: every number followed by x, ×, % or
 * "points" (LaTeX `\%` and `\times` read as such), with the kind its unit suggests.
 */
export function baselineFacts(abstract: string): ResultFact[] {
  const out: ResultFact[] = [];
  const re = /(\d+(?:\.\d+)?)\s?(?:\$?\\times\$?|×|x\b|\\?%|points\b)/g;
  for (const m of abstract.matchAll(re)) {
    const u = m[0].slice(m[1].length).trim();
    const unit = /%/.test(u) ? '%' : /points/.test(u) ? 'points' : 'x';
    out.push({
      span: m[0],
      value: Number(m[1]),
      value_max: null,
      unit,
      kind: unit === 'x' ? 'speedup' : unit === 'points' ? 'improvement' : 'score',
      metric: null,
      setting: null,
      baseline: null,
    });
  }
  return out;
}
