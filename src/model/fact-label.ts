import type { ResultFact } from '../facts/fact.js';

/**
 * A result fact as a short chip label: "1.79× faster decoding · CPU", "−62% KV cache",
 * "+1.8 points average performance", "85.3% MMLU accuracy", "7B parameters".
 *
 * @example
 * factLabel({ span: '…', value: 62, value_max: null, unit: '%', kind: 'reduction',
 *   metric: 'KV cache', setting: null, baseline: null }) // '−62% KV cache'
 */
export function factLabel(f: ResultFact): string {
  const n = formatNumber(f.value) + (f.value_max !== null ? `–${formatNumber(f.value_max)}` : '');
  const metric = f.metric && f.metric !== 'speed' ? shorten(f.metric) : '';
  let head: string;
  if (f.unit === 'x') {
    if (f.kind === 'speedup') head = `${n}× faster${metric ? ` ${metric}` : ''}`;
    else if (f.kind === 'reduction') head = `${n}× less${metric ? ` ${metric}` : ''}`;
    else head = `${n}×${metric ? ` ${metric}` : ''}`;
  } else {
    const unit = f.unit === '%' ? '%' : f.unit === 'pp' ? ' pp' : f.unit === '' ? '' : ` ${f.unit}`;
    const sign = f.kind === 'reduction' ? '−' : f.kind === 'improvement' ? '+' : '';
    const speed = f.kind === 'speedup' && f.unit === '%' ? ' faster' : '';
    head = `${sign}${n}${unit}${speed}${metric && metric !== f.unit ? ` ${metric}` : ''}`;
  }
  return f.setting ? `${head} · ${shorten(f.setting)}` : head;
}

/** A fact's number as written: "1.79x", "2.8–5.8x", "62%", "1.8 points", "7B parameters". */
export function factValue(f: Pick<ResultFact, 'value' | 'value_max' | 'unit'>): string {
  const n = formatNumber(f.value) + (f.value_max !== null ? `–${formatNumber(f.value_max)}` : '');
  return f.unit === 'x' || f.unit === '%' || f.unit === '' ? `${n}${f.unit}` : `${n} ${f.unit}`;
}

/** Chips a card shows at most. */
const CARD_FACT_CHIPS = 2;

/**
 * The facts a card shows: claims about results (speedups, reductions, gains, scores) before the
 * size of what was built, in the abstract's order within each.
 */
export function topFacts(facts: readonly ResultFact[], n = CARD_FACT_CHIPS): ResultFact[] {
  const rank = (f: ResultFact) => (f.kind === 'scale' ? 1 : 0);
  return facts
    .map((f, i) => ({ f, i }))
    .sort((a, b) => rank(a.f) - rank(b.f) || a.i - b.i)
    .slice(0, n)
    .map((x) => x.f);
}

/** Words of a metric or setting beyond this are cut: a chip is one glance. */
const LABEL_MAX_CHARS = 32;

function shorten(s: string): string {
  const t = s.replace(/\s+/g, ' ').trim();
  return t.length <= LABEL_MAX_CHARS ? t : `${t.slice(0, LABEL_MAX_CHARS - 1).replace(/\s\S*$/, '')}…`;
}

/** 1.79 → "1.79", 15e12 → "15T", 7e9 → "7B", 1.2e6 → "1.2M", 28716 → "28,716". */
export function formatNumber(v: number): string {
  const units: Array<[number, string]> = [
    [1e12, 'T'],
    [1e9, 'B'],
    [1e6, 'M'],
  ];
  for (const [size, suffix] of units) if (Math.abs(v) >= size) return `${Number((v / size).toPrecision(3))}${suffix}`;
  if (Number.isInteger(v)) return v.toLocaleString('en');
  return String(Number(v.toPrecision(4)));
}
