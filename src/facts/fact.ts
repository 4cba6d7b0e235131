/**
 * A result fact: a quantitative claim an abstract makes about what the paper's own work achieves
 * or found. The fields and their meaning follow the labelling guideline the evaluation uses
 * (../shared/data/results-facts/GUIDELINE.md); the JSON field names are the guideline's, so the
 * CLI, the API and the stored form all speak one vocabulary.
 *
 * @example
 * { span: 'decoding wall-time speedups of up to 1.79x on CPU', value: 1.79, value_max: null,
 *   unit: 'x', kind: 'speedup', metric: 'decoding wall-time', setting: 'CPU', baseline: null }
 */
export interface ResultFact {
  /** The exact substring of the abstract that holds the number and what it measures. */
  span: string;
  /** The number as written (62% → 62, 15T → 15e12, "two-fold" → 2). */
  value: number;
  /** The upper end of a range ("2.8x–5.8x" → 5.8), else null. */
  value_max: number | null;
  /** `x`, `%`, `pp`, `points`, `` (a bare score) or a physical/count unit in lower case. */
  unit: string;
  kind: FactKind;
  metric: string | null;
  setting: string | null;
  baseline: string | null;
}

export const FACT_KINDS = ['speedup', 'reduction', 'improvement', 'score', 'scale'] as const;
export type FactKind = (typeof FACT_KINDS)[number];

export function isFactKind(s: string): s is FactKind {
  return (FACT_KINDS as readonly string[]).includes(s);
}

/**
 * The unit classes the evaluation compares (README of results-facts): a multiplier, a percentage
 * (relative or points of a percentage), score points (or a bare score), anything else.
 */
export type UnitClass = 'x' | 'percent' | 'points' | 'other';

export function unitClass(unit: string): UnitClass {
  if (unit === 'x') return 'x';
  if (unit === '%' || unit === 'pp') return 'percent';
  if (unit === 'points' || unit === '') return 'points';
  return 'other';
}

/**
 * The version of the extraction rules. Raise it when the rules change what they find: stored facts
 * of an older version are extracted again by the next extract-facts job (papers.facts_version).
 */
export const FACTS_EXTRACTOR_VERSION = 4;
