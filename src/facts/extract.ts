import type { FactKind, ResultFact } from './fact.js';
import { type NormalizedText, normalizeAbstract, originalSlice } from './normalize.js';
import { WORD_NUMBERS, wordNumberPattern } from './numbers.js';

/**
 * Result facts from an abstract, by rules: numbers are found with what follows them (a unit, a
 * noun), names and citations are set aside, ranges, "from A to B", "A vs. B" and "±" are read as
 * one claim, and what is left becomes a fact only where the words around it make it a result of
 * this paper (a verb such as "reduces", a metric such as "accuracy of", a data set it releases).
 * Saying nothing is as important as finding: a number with no such context is not a fact.
 *
 * Pure and synchronous: about a tenth of a millisecond an abstract (npm run bench:facts).
 *
 * @example
 * extractFacts('Our method achieves decoding wall-time speedups of up to 1.79x on CPU.')
 * // [{ span: 'decoding wall-time speedups of up to 1.79x on CPU', value: 1.79, value_max: null,
 * //    unit: 'x', kind: 'speedup', metric: 'decoding wall-time', setting: 'CPU', baseline: null }]
 */
export function extractFacts(abstract: string): ResultFact[] {
  const norm = normalizeAbstract(abstract);
  const t = norm.text;
  const mentions = findMentions(t);
  // Most abstracts outside machine learning hold no number at all: nothing more to read.
  if (mentions.length === 0) return [];
  linkMentions(t, mentions);
  const sentences = splitSentences(t);
  const own = firstOwnSentence(t, sentences);
  const othersWork = sentences.map((s) => /\bet al\b/.test(t.slice(s.start, s.end)));
  const facts: ResultFact[] = [];
  let previous: Mention | null = null;
  for (const m of mentions) {
    if (m.role !== 'candidate') continue;
    const si = sentenceOf(sentences, m.start);
    const sentence = sentences[si];
    // Background before the paper speaks of itself ("Transportation accounts for 27% of …"), and
    // numbers about others' work ("Lebel et al.'s dataset of 8 participants"), are not its results.
    if (si < own || othersWork[si]) continue;
    const decided = decide(t, m, sentence, previous);
    if (!decided) continue;
    previous = m;
    m.kind = decided.kind;
    m.unit = decided.unit;
    facts.push(describe(abstract, norm, m, sentence, decided));
  }
  return facts;
}

interface Span {
  start: number;
  end: number;
}

interface Mention {
  start: number;
  /** End of the number itself (after a magnitude suffix such as M or B). */
  end: number;
  value: number;
  valueMax: number | null;
  /** The factor a suffix gave the number (M → 1e6), so "0.6-70 billion" scales both ends. */
  magnitude: number;
  /** The unit as stored, or null when none follows. */
  unit: string | null;
  /** End of the number with its unit (and a count noun, if one follows). */
  unitEnd: number;
  /** A count noun phrase following the number ("configuration pairs"): a scale candidate. */
  noun: string | null;
  sign: '+' | '-' | null;
  /** Spelled out ("two-fold", "Thirteen"). */
  word: boolean;
  /** Set aside as a name/citation, a comparison's other side, a spread, or a range's end. */
  role: 'candidate' | 'name' | 'baseline' | 'spread' | 'merged';
  baseline: string | null;
  /** Set by a list ("AUCs of 0.80, 0.79 and 0.78"), read from the claim it continues. */
  kind?: FactKind;
  metric?: string | null;
}

// ---------------------------------------------------------------- numbers and units

const DIGITS = /(?:\d{1,3}(?:,\d{3})+(?![\d,]\d)|\d+)(?:\.\d+)?|\.\d+/g;
const MAGNITUDE: Record<string, number> = {
  k: 1e3,
  K: 1e3,
  thousand: 1e3,
  M: 1e6,
  million: 1e6,
  B: 1e9,
  bn: 1e9,
  billion: 1e9,
  T: 1e12,
  trillion: 1e12,
};
const MAGNITUDE_AFTER = /^(?:\s?(thousand|million|billion|trillion)\b|(k|K|M|B|T|bn)(?![A-Za-z0-9]))/;

/** Units written right after a number, tried in order (the first that matches wins). */
const UNITS: Array<[RegExp, string]> = [
  [/^\s?(?:-\s?)?(?:percentage|percent)[ -]points?\b/i, 'pp'],
  [/^\s?(?:pp|p\.p\.)(?![A-Za-z])/, 'pp'],
  [/^\s?%(?:\s?points?\b)?/, '%'],
  [/^\s?(?:-\s?)?(?:percent|per cent)\b/i, '%'],
  [/^\s?(?:x|X|×)(?![A-Za-z0-9])(?!\s?\d)/, 'x'],
  [/^\s?(?:-\s?)?fold\b/i, 'x'],
  [
    /^\s(?:times)(?=\s+(?:faster|slower|more|less|fewer|higher|lower|larger|smaller|better|cheaper|speed|the|as)\b)/,
    'x',
  ],
  [/^\s?(?:-\s?)?orders? of magnitude\b/i, 'x'],
  [/^\s?(?:points?|pts?\.?)(?![A-Za-z])/, 'points'],
  [/^\s?(?:ms|milliseconds?)\b/, 'ms'],
  [/^\s?(?:s|sec|seconds?)\b(?!-)/, 's'],
  [/^\s?(?:minutes?|mins?)\b/, 'minutes'],
  [/^\s?(?:hours?|hrs?|h)\b(?!-)/, 'hours'],
  [/^\s?(?:days?)\b/, 'days'],
  [/^\s?(?:GB|MB|TB|KB|GiB|MiB|TiB)\b/, 'gb'],
  [/^\s?(?:fps|FPS)\b/, 'fps'],
  [/^\s?(?:kWh|Wh|kW|W|J|mJ)\b/, 'energy'],
  [/^\s?(?:GHz|MHz|Hz|dB)\b/, 'hz'],
];
/** Physical units: a fact only with a result's words around (a time in "24-48 h in advance" is not). */
const PHYSICAL = new Set(['ms', 's', 'minutes', 'hours', 'days', 'gb', 'fps', 'energy', 'hz']);
const UNIT_NAME: Record<string, string> = { gb: 'gb', energy: 'j', hz: 'hz' };

/**
 * Words that end a noun phrase after a number. The verbs ("a 125M model achieves", "the 8k window
 * variant outperforms") end in -s like a plural noun and would otherwise be read as a count's unit.
 */
const STOP =
  /^(?:achieves|outperforms|surpasses|reaches|attains|yields|delivers|improves|exceeds|requires|enables|obtains|demonstrates|provides|remains|consistently|significantly|also|still|even|of|in|on|at|to|for|from|with|by|and|or|than|that|which|while|per|across|over|under|into|as|is|are|was|were|be|been|the|a|an|each|its|their|our|we|it|this|these|those|respectively|compared|vs|versus|via|using|through|without|within|after|before|when|where|who|whose|more|less|fewer|higher|lower|faster|slower|better|up|out|only|all|both|between|among)$/i;
const PLURAL_EXCEPT =
  /^(?:is|was|has|as|this|its|his|thus|us|less|across|always|ours|yes|plus|status|various|previous|bias|analysis|basis|process|access|class|loss|success|progress|news)$/i;
const PLURAL_IRREGULAR = /^(?:people|children|data|men|women|feet|mice|criteria|phenomena|corpora|media)$/i;

function numberValue(s: string): number {
  return Number(s.replace(/,/g, ''));
}

/** The noun phrase after a number ("challenging puzzles", "QA pairs"), ending in a plural. */
function countNoun(t: string, from: number): { noun: string; end: number } | null {
  const re = /^(?:\s|-)([A-Za-z][\w-]*(?:\/[\w-]+)?)/;
  let pos = from;
  const words: string[] = [];
  let best: { noun: string; end: number } | null = null;
  for (let i = 0; i < 5; i++) {
    const m = re.exec(t.slice(pos, pos + 60));
    if (!m) break;
    const w = m[1];
    if (STOP.test(w) && !(w.toLowerCase() === 'and' && words.length > 0)) break;
    words.push(w);
    pos += m[0].length;
    const plural = (/[a-z]s$/.test(w) && !PLURAL_EXCEPT.test(w)) || PLURAL_IRREGULAR.test(w) || /^[A-Z]+s$/.test(w);
    if (plural && w.toLowerCase() !== 'and') {
      best = { noun: words.join(' ').toLowerCase(), end: pos };
      // "role profiles and scenarios": a coordinated plural continues the noun.
      if (!/^\s+and\s/.test(t.slice(pos, pos + 5))) break;
    }
  }
  return best;
}

function findMentions(t: string): Mention[] {
  const out: Mention[] = [];
  for (const m of t.matchAll(DIGITS)) {
    const start = m.index;
    let end = start + m[0].length;
    let value = numberValue(m[0]);
    let role: Mention['role'] = 'candidate';
    const before = t.slice(Math.max(0, start - 2), start);
    const prev = before.slice(-1);
    // Numbers inside names and references: GPT-4, T2, PCK@0.01, 4.57/5.0, a version 2.x, v1.5.
    if (/[A-Za-z_@/^\\#]/.test(prev)) role = 'name';
    if (/\d[.,]$/.test(before)) role = 'name';
    // Glued by a hyphen to a word or number: COCO-2017, Llama-3-8B (a range "18-52%" is joined later).
    if (/[A-Za-z0-9]-$/.test(before)) role = 'name';
    const mag = MAGNITUDE_AFTER.exec(t.slice(end, end + 12));
    let magnitude = 1;
    if (mag) {
      magnitude = MAGNITUDE[mag[1] ?? mag[2]];
      value *= magnitude;
      end += mag[0].length;
    }
    const after = t.slice(end, end + 48);
    let unit: string | null = null;
    let unitEnd = end;
    for (const [re, u] of UNITS) {
      const um = re.exec(after);
      if (um) {
        unit = u;
        unitEnd = end + um[0].length;
        if (u === 'x' && /orders? of magnitude/i.test(um[0])) value = 10 ** value;
        break;
      }
    }
    // A tuple or interval, "(0,1)", is notation, not a result.
    if (/^,\d/.test(after)) role = 'name';
    // A letter glued to the number that is no unit: 3D, 1970s, 2nd, 4o.
    if (!unit && magnitude === 1 && /^[A-Za-z]/.test(after)) role = 'name';
    // Years are dates, not results.
    if (!unit && magnitude === 1 && /^(?:19|20)\d\d$/.test(m[0])) role = 'name';
    // Enumerations: "(1)", "1)" at the start of an item; not "(0.912)" or "(n = 22)".
    if (
      /^\)/.test(after) &&
      /^\d{1,2}$/.test(m[0]) &&
      /(?:^|[(:;,]|\sand|\sor)\s?\(?$/.test(t.slice(Math.max(0, start - 6), start))
    )
      role = 'name';
    if (
      /\b(?:Section|Sec\.|Table|Figure|Fig\.|Eq\.|Equation|Appendix|Chapter|Theorem|Lemma|Step|Phase|Stage|Level|Task|Version|Part)\s$/i.test(
        t.slice(Math.max(0, start - 12), start),
      )
    )
      role = 'name';
    let noun: string | null = null;
    if (!unit) {
      const n = countNoun(t, end);
      if (n) {
        noun = n.noun;
        unitEnd = n.end;
      }
    }
    let sign: Mention['sign'] = null;
    if (prev === '+') sign = '+';
    else if (prev === '-' && /(?:^|[\s(])$/.test(t.slice(start - 2, start - 1))) sign = '-';
    out.push({
      start,
      end,
      value,
      valueMax: null,
      magnitude,
      unit,
      unitEnd,
      noun,
      sign,
      word: false,
      role,
      baseline: null,
    });
  }
  for (const w of findWordNumbers(t)) out.push(w);
  out.sort((a, b) => a.start - b.start);
  return out;
}

const NUM_WORDS = wordNumberPattern();
const WORD_ANY = new RegExp(`\\b(${NUM_WORDS})(fold)?\\b`, 'gi');

/** Spelled-out claims: "two-fold", "twice as fast", "half the memory", "two orders of magnitude", "Thirteen surgeons". */
function findWordNumbers(t: string): Mention[] {
  const out: Mention[] = [];
  const base = (start: number, end: number, value: number, unit: string | null, unitEnd: number): Mention => ({
    start,
    end,
    value,
    valueMax: null,
    magnitude: 1,
    unit,
    unitEnd,
    noun: null,
    sign: null,
    word: true,
    role: 'candidate',
    baseline: null,
  });
  if (/order of magnitude/i.test(t))
    for (const m of t.matchAll(/\b(an?|one)[ -]order of magnitude\b/gi)) {
      out.push(base(m.index, m.index + m[1].length, 10, 'x', m.index + m[0].length));
    }
  for (const m of t.matchAll(WORD_ANY)) {
    const value = WORD_NUMBERS[m[1].toLowerCase()];
    const end = m.index + m[1].length;
    const rest = t.slice(m.index + m[0].length, m.index + m[0].length + 40);
    const fold = m[2] ? /^/.exec(rest) : /^[ -]fold\b/i.exec(rest);
    if (fold) {
      // "The contributions are two-fold:" counts parts of the paper, not a result.
      if (/^\s?[:.]/.test(rest.slice(fold[0].length))) continue;
      out.push(base(m.index, end, value, 'x', m.index + m[0].length + fold[0].length));
      continue;
    }
    const unit =
      /^[ -]orders? of magnitude\b/i.exec(rest) ??
      /^[ -](?:percentage|percent)[ -]points?\b/i.exec(rest) ??
      /^\s(?:percent|per cent)\b/i.exec(rest);
    if (unit) {
      const u = /magnitude/i.test(unit[0]) ? 'x' : /points?$/i.test(unit[0]) ? 'pp' : '%';
      out.push(base(m.index, end, u === 'x' ? 10 ** value : value, u, end + unit[0].length));
      continue;
    }
    if (/^[ -](?:times|per)\b/i.test(rest)) continue;
    // A spelled-out count before a noun: only a fact as a scale with a cue (decided later).
    const n = countNoun(t, end);
    if (!n) continue;
    const mm = base(m.index, end, value, null, n.end);
    mm.noun = n.noun;
    out.push(mm);
  }
  for (const m of t.matchAll(/\b(twice|double[sd]?|doubling)(?=\s+(?:as|the|its|their|our)\b)/gi)) {
    out.push(base(m.index, m.index + m[1].length, 2, 'x', m.index + m[0].length));
  }
  for (const m of t.matchAll(/\b(half|halv(?:es|ed|ing))(?=\s+(?:the|its|their)\b)/gi)) {
    const mm = base(m.index, m.index + m[1].length, 2, 'x', m.index + m[0].length);
    mm.kind = 'reduction';
    out.push(mm);
  }
  return out;
}

// ---------------------------------------------------------------- numbers read together

const APPROX = String.raw`(?:approximately|about|around|roughly|nearly|almost|only|just|below|above|under|over|less than|more than|up to|~|≈)?\s?`;

const FROM_TO_GAP = new RegExp(String.raw`^\s?(?:\([^)]{0,40}\)\s?)?to\s${APPROX}$`, 'i');

/** Ranges, "from A to B", "A vs. B", "A ± B" and names continued by a hyphen (Llama-3-8B). */
function linkMentions(t: string, ms: Mention[]): void {
  for (let i = 1; i < ms.length; i++) {
    const a = ms[i - 1];
    const b = ms[i];
    if (a.word || b.word) continue;
    const gap = t.slice(a.unitEnd, b.start);
    const gapFromNumber = t.slice(a.end, b.start);
    // Llama-3-8B, Qwen3-32B: a number hyphen-glued to a name is part of the name.
    if (a.role === 'name' && /^-$/.test(gapFromNumber)) {
      b.role = 'name';
      continue;
    }
    if (a.role !== 'candidate' && a.role !== 'baseline') continue;
    // A range: 2.8x–5.8x, 18-52%, 0.8%-12.85%, 97-99%, 21-51 points, between 2 and 5.
    const rangeGap = /^\s?(?:-{1,2}|to)\s?$/.test(gap) || (/^\s?-\s?$/.test(gapFromNumber) && a.unit === null);
    const between = /\bbetween\s$/i.test(t.slice(Math.max(0, a.start - 8), a.start)) && /^\s?and\s?$/.test(gap);
    const fromBefore = /\bfrom\s(?:\w+\s)?$/i.test(t.slice(Math.max(0, a.start - 20), a.start));
    if (
      (rangeGap || between) &&
      !fromBefore &&
      (a.unit === null || a.unit === b.unit) &&
      a.value * (a.magnitude === 1 ? b.magnitude : 1) < b.value
    ) {
      if (a.magnitude === 1 && b.magnitude !== 1) {
        a.value *= b.magnitude;
        a.magnitude = b.magnitude;
      }
      a.valueMax = b.value;
      a.unit = b.unit;
      a.noun = b.noun;
      a.unitEnd = b.unitEnd;
      b.role = 'merged';
      continue;
    }
    if (b.role === 'name' && /^\s?-\s?$/.test(gapFromNumber)) continue;
    // "from 140 hours to 40 hours", "from 39.33% to 61.48%": the first is the baseline.
    if (fromBefore && FROM_TO_GAP.test(gap)) {
      a.role = 'baseline';
      b.baseline = t.slice(a.start, a.unitEnd).trim();
      if (b.unit === null && a.unit !== null) b.unit = a.unit;
      continue;
    }
    // "99.3% vs. 88.9%", "4.0 vs. 9.3 minutes": the second is the baseline.
    if (/^\s?(?:vs\.?|versus|compared to|compared with|against)\s?$/i.test(gap) && b.role === 'candidate') {
      b.role = 'baseline';
      a.baseline = t.slice(b.start, b.unitEnd).trim();
      if (a.unit === null && b.unit !== null) {
        a.unit = b.unit;
        a.unitEnd = b.unitEnd;
      }
      continue;
    }
    // "0.950 ± 0.011", "0.51 +/- 0.06": the spread is not a claim.
    if (/^\s?(?:±|\+\/-|\+-)\s?$/.test(gapFromNumber) || /^\s?(?:±|\+\/-|\+-)\s?$/.test(gap)) {
      b.role = 'spread';
      if (a.unit === null && b.unit !== null) a.unit = b.unit;
    }
  }
  // A number right after "+/-" lost its sign to the spread check above; one after "/" is a scale's maximum.
}

// ---------------------------------------------------------------- sentences

function splitSentences(t: string): Span[] {
  const out: Span[] = [];
  let start = 0;
  const re = /[.!?](?=\s+[A-Z(["'])/g;
  for (const m of t.matchAll(re)) {
    const end = m.index + 1;
    // Abbreviations do not end a sentence: "et al.", "e.g.", "vs.", "Fig.".
    if (/\b(?:al|e\.g|i\.e|vs|Fig|Eq|cf|etc|approx|resp|Sec|No)\.$/.test(t.slice(Math.max(start, end - 8), end)))
      continue;
    out.push({ start, end });
    start = end;
  }
  if (start < t.length) out.push({ start, end: t.length });
  return out;
}

function sentenceOf(sentences: Span[], pos: number): number {
  for (let i = 0; i < sentences.length; i++) if (pos < sentences[i].end) return i;
  return sentences.length - 1;
}

/** Where the abstract starts speaking of its own work: numbers before are background. */
const OWN_WORK =
  /\b(?:we|our|ours|us|this (?:paper|work|study|article|report|thesis|letter)|here|herein|the proposed|proposed|results|experiments?|evaluations?)\b|\b(?:achiev|outperform|surpass|yield)/i;

function firstOwnSentence(t: string, sentences: Span[]): number {
  for (let i = 0; i < sentences.length; i++) if (OWN_WORK.test(t.slice(sentences[i].start, sentences[i].end))) return i;
  return sentences.length;
}

// ---------------------------------------------------------------- is it a result, and of what kind

const SPEED =
  /\b(?:faster|slower|speed-?ups?|speeds? up|accelerat\w*|throughput|latency|latencies|wall-?(?:clock|time)|run-?times?|time|inference speed|speed)\b/i;
const REDUCE =
  /\b(?:reduc\w*|less|fewer|lower\w*|smaller|cut\w*|decreas\w*|sav(?:e|es|ed|ing|ings)|compress\w*|prun\w*|discard\w*|drop\w*|shrink\w*|cheaper|lighter|eliminat\w*|suppress\w*|minimi\w*|halv\w*|remov\w*|skip\w*|trim\w*)\b/i;
const IMPROVE =
  /\b(?:improv\w*|gains?|higher|better|outperform\w*|boost\w*|increas\w*|more|surpass\w*|exceed\w*|beat\w*|enhanc\w*|rais\w*|lifts?|greater|larger|stronger|advanc\w*|exceeding)\b/i;

/** Metric names a bare score may follow ("an AUC of 0.92", "r=0.786", "lowest CER (0.912)"). */
const METRIC_WORDS = String.raw`(?:AUC(?:-ROC|-PR)?s?|AUROC|AUPRC|ROC|F1(?:-scores?)?|F-scores?|BLEU|ROUGE(?:-\w+)?|METEOR|CIDEr|chrF|mAP|AP\d*|mIoU|IoU|WER|CER|FID|FVD|PSNR|SSIM|LPIPS|NDCG(?:@\d+)?|MRR|MAE|RMSE|MSE|Dice|DSC|HD95|kappa|κ|r|ρ|rho|R\^?2|R²|EM|Elo|pass@\d+|[Ss]pearman|[Pp]earson|accuracy|precision|recall|scores?|similarity|correlations?|coefficients?|agreement|deviation|mean|average|ratings?|win rates?|success rates?|perplexity|PPL)`;
const METRIC_BEFORE = new RegExp(
  String.raw`${METRIC_WORDS}\)?\s?(?:of|=|:|is|was|were|reaching|reaches|to|at|around|approximately|about|up to|as high as|as low as)?\s?(?:\(\s?)?(?:only|just|nearly|approximately|about|around|over|above|below|~)?\s?$`,
);
const METRIC_AFTER = new RegExp(String.raw`^\s(?:${METRIC_WORDS})\b`);

/** Right before a count of what the paper releases: "a benchmark of 1,737 puzzles", "data from 14 patients". */
const RELEASE_OF = new RegExp(
  String.raw`\b(?:dataset|data set|data|benchmark|corpus|collection|suite|database|bank|study|survey|sample|cohort|pool|library|recordings?|subset|split)\s(?:of|with|from|containing|comprising|covering|spanning|including|featuring|totall?ing)\s(?:the\s|a\s|an\s|total of\s)?${APPROX}$`,
  'i',
);
/** A verb of making or gathering right before a count: "covering 100 languages", "we collect 10,000 images". */
const SCALE_VERB = new RegExp(
  String.raw`\b(?:compris\w*|contain\w*|consist\w* of|cover\w*|span\w*|encompass\w*|total\w*|recruit\w*|enroll\w*|surveyed|interview\w*|collect\w*|curat\w*|annotat\w*|generat\w*|introduc\w*|releas\w*|construct\w*|build|built|gather\w*|compil\w*|synthesi[sz]\w*|(?:pre-?)?train\w* on|integrat\w*)\s(?:the\s|a\s|an\s|total of\s|over\s)?${APPROX}$`,
  'i',
);
/** A count of people, with a cue: "data from 40 healthy controls", "holograms of 21 patients". */
const PEOPLE_CUE = /\b(?:of|from|with|involving|among|recruited|enrolled|surveyed|interviewed)\s(?:the\s)?(?:\w+\s)?$/i;
/** "Evaluation on a benchmark of 21 cases": the count of a benchmark that was only used. */
const EVAL_OF =
  /\b(?:on|across|in|using)\s(?:a|an|the)?\s?(?:[\w-]+\s){0,2}(?:benchmark|dataset|data set|suite|collection)s?\s(?:of|with)\s$/i;
/** Before a count of what was merely evaluated: "on 7 benchmarks", "across 12 tasks". */
const EVAL_CUE = /\b(?:on|across|in|using|for|to|against|among|between|evaluat\w* on|experiments on)\s(?:the\s)?$/i;
const PEOPLE =
  /\b(?:participants|patients|subjects|volunteers|respondents|developers|users|annotators|experts|clinicians|physicians|surgeons|students|children|adults|controls|workers|raters|doctors|nurses|teachers|people|individuals|candidates|professionals|engineers|practitioners)$/;
/** Nouns that count what was used, not what was made or measured. */
const SETUP_NOUN =
  /^(?:.* )?(?:channels|modules|components|designs|innovations|mechanisms|contributions|aspects|stages|branches|models|baselines|methods|approaches|datasets|benchmarks|tasks|languages|metrics|layers|epochs|steps|GPUs|runs|seeds|iterations|experiments|settings|scenarios|domains|categories|times|cases|stages|rounds|heads|blocks|dimensions|years|months|weeks|words|sentences|modalities|agents|LLMs|variants|architectures|families|sizes|levels|types|classes)$/;

/** The magnitude suffix (M, B, T) from which a bare number followed by "model" is a model's size. */
const MODEL_SIZE_MIN = 1e6;

interface Decision {
  kind: FactKind;
  unit: string;
}

function decide(t: string, m: Mention, sentence: Span, previous: Mention | null): Decision | null {
  const before = t.slice(Math.max(sentence.start, m.start - 80), m.start);
  const near = t.slice(Math.max(sentence.start, m.start - 30), m.start);
  const after = t.slice(m.unitEnd, Math.min(sentence.end, m.unitEnd + 60));
  // Hyper-parameters and design choices: "k = 256", "with 8 GPUs" is caught as a setup noun.
  if (/\b[A-Za-zα-ω]\s?=\s?$/.test(near) && !/\bn\s?=\s?$/i.test(near) && !METRIC_BEFORE.test(near)) return null;
  // A list continues its first claim's kind: "improves ASR by 12.4% and 9.7%", "(60.30%, 63.37%, and 63.16%)".
  if (previous && !m.kind && previous.unit === m.unit && previous.start >= sentence.start) {
    const between = t.slice(previous.unitEnd, m.start);
    if (between.length < 60 && /^[^.;]*?(?:,|\band|\bor)\s?(?:by\s|to\s)?[+]?$/.test(between)) m.kind = previous.kind;
  }
  const kindOf = (fallback: FactKind): FactKind => m.kind ?? kindFromContext(t, m, sentence, fallback);

  if (m.unit === 'x') return { kind: kindOf('speedup'), unit: 'x' };
  if (m.unit === '%' || m.unit === 'pp') {
    // "n = 22 (45%)" and shares of a sample are still scores; "top 10%" or "at 50% sparsity" are settings.
    if (
      /\b(?:top|bottom|first|last|at|with|using)\s$/i.test(near) &&
      !/^\s?(?:less|fewer|more|higher|lower|faster|reduction|improvement|of the|accuracy)/i.test(after)
    )
      return null;
    // "using 10% of the training data", "at 50% sparsity": how much was used, not what was reached.
    if (
      /^\s(?:sparsity|of the (?:training|data|dataset|parameters|labels))\b/i.test(after) &&
      /\b(?:with|using|on|only|from|train\w* on)\s(?:only\s|just\s)?$/i.test(near)
    )
      return null;
    return { kind: kindOf(m.sign === '+' ? 'improvement' : 'score'), unit: m.unit };
  }
  if (m.unit === 'points') return { kind: kindOf(m.sign === '-' ? 'reduction' : 'improvement'), unit: 'points' };
  if (m.unit !== null && PHYSICAL.has(m.unit)) {
    const unit = UNIT_NAME[m.unit] ?? m.unit;
    if (m.baseline) return { kind: kindOf('score'), unit };
    if (
      (RELEASE_OF.test(near) || SCALE_VERB.test(near) || /\bexceed\w*\s$/i.test(near)) &&
      /\b(?:dataset|data|corpus|recordings?|hours of)\b/i.test(before + after)
    )
      return { kind: 'scale', unit };
    if (
      /\b(?:achiev\w*|reach\w*|runs? (?:at|in)|takes?|requires?|reduc\w*|cut\w*|latency of|in only|in just|within|at)\s(?:only\s|just\s|about\s|under\s|below\s)?$/i.test(
        near,
      )
    )
      return { kind: kindOf('score'), unit };
    return null;
  }
  // A signed bare number is a difference in score points: "(+5.1, SPair-U)", "+8.9 PCK@0.01".
  if (m.unit === null && m.noun === null && m.sign === '+' && !m.word) return { kind: 'improvement', unit: 'points' };
  if (m.unit === null && m.noun === null) {
    if (m.word) return null;
    // A size with M, B or T is never a bare score. "Our 7B model" is the scale of what was built;
    // "than a 70B model", "fine-tune a 7B model" are a comparison's or a setup's, not a result.
    if (m.magnitude >= MODEL_SIZE_MIN) {
      if (
        /^[\s-](?:parameter\s)?(?:model|LLM|language model|student|variant|network)\b/i.test(
          t.slice(m.end, m.end + 30),
        ) &&
        /\b(?:our|the proposed|a compact|compact|only|just)\s(?:\w+\s)?$/i.test(near)
      )
        return { kind: 'scale', unit: 'parameters' };
      return null;
    }
    if (METRIC_BEFORE.test(before.slice(-40)) || METRIC_AFTER.test(t.slice(m.end, m.end + 24))) {
      if (/\bn\s?=\s?$/i.test(near)) return { kind: 'scale', unit: 'participants' };
      return { kind: kindOf('score'), unit: '' };
    }
    if (/\bn\s?=\s?$/i.test(near)) return { kind: 'scale', unit: 'participants' };
    // A list continuing a bare score: "AUCs of 0.8058, 0.8017, and 0.7928", "0.08 on X and 0.11 on Y".
    if (previous && previous.unit === '' && t.slice(previous.unitEnd, m.start).length < 70) {
      const between = t.slice(previous.unitEnd, m.start);
      if (!/[.;]/.test(between) && /(?:,|\band\b|\bor\b|\bwhile\b)\s?$/.test(between) && m.start < sentence.end) {
        m.metric = previous.metric;
        return { kind: previous.kind ?? 'score', unit: '' };
      }
    }
    return null;
  }
  // A count: "1,737 challenging puzzles", "16 developers", "7M frames". Counts of what was only
  // used or evaluated ("on 7 benchmarks", "14 CNN models") are not results.
  if (m.noun !== null) {
    const unit = m.noun.split(' ').slice(-1)[0];
    if (m.kind === 'reduction') return { kind: 'reduction', unit };
    const sentenceStart = t.slice(sentence.start, m.start).trim() === '';
    if (/\bparameters?$|\bparams$/.test(m.noun)) return { kind: 'scale', unit: 'parameters' };
    if (EVAL_OF.test(near)) return null;
    if (EVAL_CUE.test(near) && !/\b(?:pre-?)?train\w* on\s(?:the\s)?\S*\s?$/i.test(near)) return null;
    const big = m.value >= 1000;
    const people = PEOPLE.test(m.noun);
    const setup = SETUP_NOUN.test(m.noun) && !people;
    if (people && (sentenceStart || (!m.word && (PEOPLE_CUE.test(near) || RELEASE_OF.test(near)))))
      return { kind: 'scale', unit };
    if (setup) return null;
    if (RELEASE_OF.test(near)) return { kind: 'scale', unit };
    if (m.word) return null;
    if (SCALE_VERB.test(near)) return { kind: 'scale', unit };
    if (big && /\b(?:dataset|benchmark|corpus|collection|we|our)\b/i.test(t.slice(sentence.start, sentence.end)))
      return { kind: 'scale', unit };
    return null;
  }
  return null;
}

/** The kind a claim's own words give it: the words right after the number, then the verb before it. */
function kindFromContext(t: string, m: Mention, sentence: Span, fallback: FactKind): FactKind {
  const after = t.slice(m.unitEnd, Math.min(sentence.end, m.unitEnd + 40));
  const afterWords = /^\s?(?:\)\s?)?([\w-]+)(?:\s([\w-]+))?(?:\s([\w-]+))?/.exec(after);
  const a1 = afterWords?.[1] ?? '';
  const a3 = [afterWords?.[1], afterWords?.[2], afterWords?.[3]].filter(Boolean).join(' ');
  const before = t.slice(Math.max(sentence.start, m.start - 70), m.start);
  const clause = before.split(/[,;:]/).slice(-1)[0] ?? '';
  const timey = SPEED.test(a3) || SPEED.test(clause);
  // "reducing training time from 140 hours to 40 hours": a time brought down is a speedup.
  if (m.baseline && /^(?:ms|s|minutes|hours|days)$/.test(m.unit ?? '') && REDUCE.test(clause)) return 'speedup';
  if (/^(?:faster|quicker|speed-?ups?|acceleration|throughput|lower latency|shorter)$/i.test(a1) || /^speed/i.test(a1))
    return 'speedup';
  if (/^(?:less|fewer|smaller|lower|reduction|reductions|decrease|cheaper|compression|drop|savings?|cut)$/i.test(a1)) {
    if (SPEED.test(a3.replace(/^\S+\s?/, '')) && !/\bspeed(?:up)?\b/i.test(a3)) return 'speedup';
    return 'reduction';
  }
  if (
    /^(?:higher|better|more|greater|improvement|improvements|gain|gains|increase|boost|relative|absolute|stronger)$/i.test(
      a1,
    )
  ) {
    if (/\breduction\b/i.test(a3)) return 'reduction';
    if (/\bthroughput\b/i.test(a3)) return 'speedup';
    return 'improvement';
  }
  // "improvements of 18-52%", "a 23x speedup over", "speedups of up to 1.79x".
  const nounBefore =
    /\b(speed-?ups?|accelerations?|improvements?|gains?|increases?|boosts?|reductions?|decreases?|savings?|drops?|compression)\s(?:of|by)\s(?:up to\s|about\s|approximately\s|around\s|over\s|nearly\s|roughly\s|an average of\s|on average\s)?$/i.exec(
      clause,
    );
  if (nounBefore) return kindOfWord(nounBefore[1], timey);
  // "reduces the total token usage by 47%", "outperforming SkySense by 1.8 points".
  const verbBy =
    /\b(\w+)\b[^,;]{0,60}\bby\s(?:up to\s|about\s|approximately\s|around\s|over\s|nearly\s|roughly\s|an average of\s|on average\s|only\s|a further\s|an additional\s|a factor of\s)?[+]?$/i.exec(
      clause,
    );
  if (verbBy) {
    const v =
      /\b(reduc\w*|cut\w*|decreas\w*|lower\w*|shrink\w*|compress\w*|sav\w*|drop\w*|suppress\w*|improv\w*|increas\w*|boost\w*|outperform\w*|surpass\w*|exceed\w*|rais\w*|enhanc\w*|gain\w*|accelerat\w*|speed\w*|beat\w*)\b/i.exec(
        clause,
      );
    if (v) return kindOfWord(v[1], timey);
  }
  // "pruning 97-99% of token interactions", "reducing it to 0%".
  if (
    /\b(?:prun\w*|discard\w*|remov\w*|skip\w*|eliminat\w*|reduc\w*|cut\w*|compress\w*|sav\w*)\s(?:(?:it|them|this|these|up|only|over|about|nearly|approximately|the\s\w+)\s)*(?:to\s)?$/i.test(
      clause,
    )
  )
    return timey ? 'speedup' : 'reduction';
  if (m.unit === 'x') {
    if (REDUCE.test(a3) || REDUCE.test(clause)) return timey ? 'speedup' : 'reduction';
    if (IMPROVE.test(a3) && !timey) return 'improvement';
    return 'speedup';
  }
  if (m.sign === '+') return 'improvement';
  return fallback;
}

function kindOfWord(word: string, timey: boolean): FactKind {
  if (/^(?:speed|accelerat)/i.test(word)) return 'speedup';
  if (/^(?:reduc|cut|decreas|lower|shrink|compress|sav|drop|suppress)/i.test(word))
    return timey ? 'speedup' : 'reduction';
  return timey && /^(?:increas|improv|boost)/i.test(word) && /throughput|speed/i.test(word)
    ? 'speedup'
    : timey
      ? 'speedup'
      : 'improvement';
}

// ---------------------------------------------------------------- what, where, against what

function describe(original: string, norm: NormalizedText, m: Mention, sentence: Span, d: Decision): ResultFact {
  const t = norm.text;
  let start = m.start;
  let end = m.unitEnd;
  if (m.sign && !m.word) start -= 1;
  const clauseStart = Math.max(sentence.start, lastIndexOfAny(t, /[,;:(]/g, sentence.start, m.start) + 1);
  const before = t.slice(clauseStart, start);
  const afterEnd = clauseEnd(t, end, sentence.end);
  const after = t.slice(end, afterEnd);
  let metric: string | null = m.metric ?? null;

  // Words after the unit: "62% less KV cache", "75.40% composite mIoU", "2.5x reduction in FLOPs".
  const afterNp =
    /^\s?(?:(?:less|fewer|lower|higher|more|smaller|greater|better|faster|relative|absolute|average|overall|reduction|reductions|improvement|improvements|speedup|speedups|speed-up|gain|gains|increase|decrease|boost)\s)*(?:(?:in|of)\s(?:the\s)?)?((?:[\w@.+/-]+\s?){1,4})/i.exec(
      after,
    );
  if (!metric && afterNp && m.unit !== null && m.noun === null) {
    const words: string[] = [];
    for (const w of afterNp[1].trim().split(/\s+/)) {
      if (STOP.test(w) || /^(?:speedup|speedups|faster|compared|relative|while|maintaining|with)$/i.test(w)) break;
      words.push(w.replace(/[.,]$/, ''));
      if (/[.,]$/.test(w)) break;
    }
    if (words.length > 0 && !/^\d/.test(words[0])) {
      metric = words.join(' ');
      const mEnd = t.indexOf(metric, end);
      if (mEnd >= 0 && mEnd - end < 30) end = mEnd + metric.length;
    }
  }
  // Words before: "accuracy of 68.27%", "reduces the total token usage by 47%", "wall-time speedups of up to 1.79x".
  const beforeNp =
    /((?:[\w@.+/()-]+\s){0,3}?[\w@.+/()-]+)\s(?:speed-?ups?|improvements?|gains?|reductions?)\s(?:of|by)\s(?:up to\s|about\s|approximately\s|an average of\s)?$/i.exec(
      before,
    ) ??
    /\b(?:reduc\w*|improv\w*|increas\w*|cut\w*|decreas\w*|boost\w*|lower\w*|rais\w*|enhanc\w*|accelerat\w*|speed\w* up)\s(?:the\s|its\s|their\s|our\s)?((?:[\w@.+/()-]+\s){0,4}?[\w@.+/()-]+)\sby\s(?:up to\s|about\s|approximately\s|nearly\s|over\s|an average of\s|roughly\s)?$/i.exec(
      before,
    ) ??
    /((?:[\w@.+/-]+\s){0,2}?[\w@.+/()-]+)\s?(?:of|=|:|\()\s?(?:only\s|just\s|about\s|approximately\s|up to\s|over\s|above\s|nearly\s)?$/i.exec(
      before,
    );
  if (beforeNp) {
    // The words after the last function word: "a decoder with decoding speedups" names "decoding".
    const words = beforeNp[1].split(/\s+/);
    let cut = 0;
    for (let w = 0; w < words.length - 1; w++) if (STOP.test(words[w])) cut = w + 1;
    const np = words
      .slice(cut)
      .join(' ')
      .replace(
        /^(?:a|an|the|its|their|our|with|achieves?|achieving|reaching|reaches|yields?|obtains?|highest|lowest|best|mean|average)\s/i,
        '',
      )
      .trim();
    if (!metric && np.length > 1 && !STOP.test(np) && !/^\d/.test(np)) metric = np;
    const at = before.lastIndexOf(beforeNp[0]);
    // The verb stays in the span: "reduces the total token usage by 47%".
    const verb = /\b(?:\w+\s)?$/.exec(t.slice(clauseStart, clauseStart + at));
    start = clauseStart + at;
    if (cut > 0) start += Math.max(0, beforeNp[0].indexOf(words.slice(cut).join(' ')));
    if (verb && /^(?:reduc|improv|increas|cut|decreas|boost|lower|rais|enhanc|accelerat|outperform)/i.test(verb[0]))
      start -= verb[0].length;
  } else {
    const verb =
      /\b(?:reduc\w*|improv\w*|increas\w*|cut\w*|decreas\w*|boost\w*|outperform\w*|prun\w*|discard\w*|achiev\w*|reach\w*|obtain\w*)\b[^,;]{0,50}$/i.exec(
        before,
      );
    if (verb) start = clauseStart + verb.index;
  }
  if (!metric && m.noun) metric = m.noun;
  if (d.kind === 'speedup' && !metric) metric = 'speed';

  // Setting: "on CPU", "on the EveryAyah subset", "under no_think".
  let setting: string | null = null;
  const set =
    /^[^;]{0,40}?\b(?:on|under|in|using|with)\s(?:the\s|a\s)?((?:[\w@.+/'-]+\s?){1,4}?)(?=\s?(?:[,;.)]|\band\b|\bwhile\b|\bcompared\b|\bover\b|\bthan\b|\brelative\b|\bversus\b|\bvs\b|\bwith\b|\bby\b|\bacross\b|$))/i.exec(
      after,
    );
  if (
    set &&
    /[A-Z0-9]|\b(?:setting|mode|subset|benchmark|dataset|tasks?|average|CPUs?|GPUs?|devices?|hardware)\b/.test(set[1])
  ) {
    setting = set[1].trim().replace(/[.,]+$/, '');
    const sEnd = t.indexOf(setting, end);
    if (sEnd >= 0 && sEnd - end < 45) end = sEnd + setting.length;
  } else {
    const hw = /\b(CPUs?|GPUs?|TPUs?|A100s?|H100s?|edge devices?|mobile devices?|smartphones?)\b/.exec(after);
    if (hw) setting = hw[1];
  }
  // Baseline: "over the CPU baseline", "than FlashAttention-2", "outperforming SkySense by".
  let baseline = m.baseline;
  if (!baseline) {
    const b =
      /\b(?:over|than|compared (?:to|with)|relative to|versus|vs\.?|against)\s((?:the\s)?[^,;.()]{2,50}?)(?=\s?(?:[,;.()]|\band\b|\bon\b|\bin\b|\bwhile\b|\bwith\b|\bby\b|\bacross\b|$))/i.exec(
        after,
      );
    if (b && !/^\s?(?:\d|all\b|time\b)/.test(b[1])) {
      baseline = b[1].trim();
      if (b.index < 4) {
        const bEnd = t.indexOf(baseline, end);
        if (bEnd >= 0 && bEnd - end < 60) end = bEnd + baseline.length;
      }
    } else {
      const o = /\b(?:outperform\w*|surpass\w*|beat\w*|exceed\w*)\s((?:the\s)?[^,;.()]{2,50}?)\sby\s(?:\S+\s)?$/i.exec(
        before,
      );
      if (o) baseline = o[1].trim();
    }
  }
  const span = originalSlice(norm, original, Math.max(start, clauseStart), Math.max(end, m.unitEnd));
  return {
    span,
    value: m.value,
    value_max: m.valueMax,
    unit: d.unit,
    kind: d.kind,
    metric: cleanPhrase(metric),
    setting: cleanPhrase(setting),
    baseline,
  };
}

/** Function words and verbs at a phrase's edges are not part of what it names. */
function cleanPhrase(s: string | null): string | null {
  if (!s) return null;
  let p = s.replace(/\s+/g, ' ').trim();
  for (let i = 0; i < 3; i++)
    p = p
      .replace(
        /^(?:and|or|into|with|achiev\w*|showed|shows|show|reach\w*|obtain\w*|yield\w*|a|an|the|its|their|our|to|in|of|on)\s/i,
        '',
      )
      .replace(/\s(?:consists?|contains?|comprises?|achieves?|is|are|was|were|of|and|or|the)$/i, '')
      .replace(/[.,;:]+$/, '');
  return p.length > 0 ? p : null;
}

function lastIndexOfAny(t: string, re: RegExp, from: number, to: number): number {
  let last = from - 1;
  for (const m of t.slice(from, to).matchAll(re)) last = from + m.index;
  return last;
}

function clauseEnd(t: string, from: number, limit: number): number {
  const m = /[;]|,\s(?:while|whereas|and|but|which)\b|\.\s/.exec(t.slice(from, limit));
  return m ? from + m.index : limit;
}
