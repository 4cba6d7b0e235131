import { describe, expect, it } from 'vitest';
import { extractFacts } from './extract.js';
import type { FactKind } from './fact.js';

interface Case {
  name: string;
  text: string;
  /** The facts expected, as value[-max] unit kind; [] for none. */
  want: Array<[number, number | null, string, FactKind]>;
}

// Each abstract opens with "We" so the sentence counts as the paper's own (background before the
// first such sentence is not a result, tested separately below).
const CASES: Case[] = [
  {
    name: 'a multiplier with a setting',
    text: 'We achieve decoding wall-time speedups of up to 1.79x on CPU.',
    want: [[1.79, null, 'x', 'speedup']],
  },
  {
    name: 'two facts in one sentence',
    text: 'We get 1.79x on CPU and 1.40x on GPU in decoding speed.',
    want: [
      [1.79, null, 'x', 'speedup'],
      [1.4, null, 'x', 'speedup'],
    ],
  },
  {
    name: 'a range of multipliers',
    text: 'Our kernel yields a 2.8x–5.8x wall-time speedup.',
    want: [[2.8, 5.8, 'x', 'speedup']],
  },
  {
    name: 'a range of percentages',
    text: 'We observe relative F1 score improvements of 18-52%.',
    want: [[18, 52, '%', 'improvement']],
  },
  { name: 'a range in LaTeX', text: 'We prune 97-99\\% of token interactions.', want: [[97, 99, '%', 'reduction']] },
  { name: '"up to" keeps the number', text: 'We reduce memory by up to 3x.', want: [[3, null, 'x', 'reduction']] },
  {
    name: 'LaTeX percent',
    text: 'We find that the judge corroborates $86\\%$ of the labels.',
    want: [[86, null, '%', 'score']],
  },
  {
    name: 'LaTeX times',
    text: 'We obtain a 2.65$\\times$ speedup over full attention.',
    want: [[2.65, null, 'x', 'speedup']],
  },
  {
    name: 'less of a cost',
    text: 'We need 62% less KV cache than the dense model.',
    want: [[62, null, '%', 'reduction']],
  },
  {
    name: 'a time reduction is a speedup',
    text: 'We reduce training time by 40%.',
    want: [[40, null, '%', 'speedup']],
  },
  {
    name: 'percentage points',
    text: 'We raise jailbreak success rates by up to +57 percentage points.',
    want: [[57, null, 'pp', 'improvement']],
  },
  {
    name: 'score points',
    text: 'Our model outperforms SkySense by an average of 1.8 points.',
    want: [[1.8, null, 'points', 'improvement']],
  },
  {
    name: 'a bare score after its metric',
    text: 'We reach the highest AUC-ROC of 0.9720 on TIHM.',
    want: [[0.972, null, '', 'score']],
  },
  {
    name: 'a list of bare scores',
    text: 'We report AUCs of 0.8058, 0.8017, and 0.7928, respectively.',
    want: [
      [0.8058, null, '', 'score'],
      [0.8017, null, '', 'score'],
      [0.7928, null, '', 'score'],
    ],
  },
  { name: 'an absolute score', text: 'Our model achieves 85.3% on MMLU.', want: [[85.3, null, '%', 'score']] },
  {
    name: 'spelled out: two-fold',
    text: 'We observe a two-fold increase in throughput.',
    want: [[2, null, 'x', 'speedup']],
  },
  {
    name: 'spelled out: orders of magnitude',
    text: 'We reduce feedback requirements by two orders of magnitude.',
    want: [[100, null, 'x', 'reduction']],
  },
  {
    name: 'spelled out: half the memory',
    text: 'Our cache uses half the memory of FlashAttention-2.',
    want: [[2, null, 'x', 'reduction']],
  },
  {
    name: 'spelled out: percentage points',
    text: 'We see roughly a five-percentage-point gain over the baseline.',
    want: [[5, null, 'pp', 'improvement']],
  },
  {
    name: 'the size of a released data set',
    text: 'We release a benchmark of 1,737 challenging puzzles.',
    want: [[1737, null, 'puzzles', 'scale']],
  },
  {
    name: 'a magnitude suffix',
    text: 'We curate a stereo video dataset containing over 11M frames.',
    want: [[11e6, null, 'frames', 'scale']],
  },
  {
    name: 'from A to B: B is the result',
    text: 'We improve reliability from 39.33% to 61.48%.',
    want: [[61.48, null, '%', 'score']],
  },
  {
    name: 'A vs. B: B is the baseline',
    text: 'Our agent completes 99.3% vs. 88.9% for the baseline.',
    want: [[99.3, null, '%', 'score']],
  },
  { name: 'a spread is not a claim', text: 'We obtain AUC=0.950+/-0.011 on BUSI.', want: [[0.95, null, '', 'score']] },
  {
    name: 'numbers in model names are not facts',
    text: 'We fine-tune Llama-3-8B and compare with GPT-4 and Qwen2.5-7B on ResNet-50 features.',
    want: [],
  },
  {
    name: "our model's size is scale; a verb after it is not its unit",
    text: 'Our 7B model reaches 86.4% accuracy on MMLU, and the 8k window variant outperforms it.',
    want: [
      [7e9, null, 'parameters', 'scale'],
      [86.4, null, '%', 'score'],
    ],
  },
  {
    name: "a model size that is a setup's or a comparison's is not a fact, nor a bare score",
    text: 'We fine-tune a 7B model and compare it with a 70B model, reaching 0.91 AUC.',
    want: [[0.91, null, '', 'score']],
  },
  {
    name: 'counts of what was evaluated are not facts',
    text: 'We run experiments on 36 public datasets across 12 tasks with 8 GPUs.',
    want: [],
  },
  {
    name: 'hyper-parameters are not facts',
    text: 'We use top-k sampling with k = 256 and a 3-layer network trained for 2 epochs.',
    want: [],
  },
  {
    name: 'years, 3D and enumerations are not facts',
    text: 'We study 3D scenes since 2019: (1) depth and (2) motion.',
    want: [],
  },
  { name: 'citations are not facts', text: 'We follow earlier models,$^{1-3}$ and efforts.$^{4-7}$', want: [] },
  {
    name: 'a claim without a number is not a fact',
    text: 'We achieve state-of-the-art results on all benchmarks.',
    want: [],
  },
  {
    name: 'the parts of a paper are not facts',
    text: 'The contributions of this paper are two-fold: we propose a model and a loss.',
    want: [],
  },
];

describe('extractFacts: a table of cases', () => {
  for (const c of CASES) {
    it(c.name, () => {
      const got = extractFacts(c.text);
      expect(got.map((f) => [f.value, f.value_max, f.unit, f.kind])).toEqual(c.want);
      for (const f of got) expect(c.text).toContain(f.span);
    });
  }
});

describe('extractFacts: context', () => {
  it('reads background before the paper speaks of itself as no result', () => {
    const text =
      'Transportation accounts for around 27% of emissions in the UK. We propose a planner that cuts emissions by 12%.';
    expect(extractFacts(text).map((f) => f.value)).toEqual([12]);
  });

  it('fills metric, setting and baseline from the words around', () => {
    const [f] = extractFacts('Our method achieves a 23x speedup over the CPU baseline on a GPU.');
    expect(f).toMatchObject({ value: 23, unit: 'x', kind: 'speedup', baseline: 'the CPU baseline' });
    const [g] = extractFacts('We obtain a WER of 0.08 on the EveryAyah subset.');
    expect(g).toMatchObject({ value: 0.08, unit: '', kind: 'score', metric: 'WER', setting: 'EveryAyah subset' });
  });

  it('keeps spans exact substrings of LaTeX, line breaks and double spaces', () => {
    const text = 'We reach a mean cross-validation\naccuracy of  99.2\\% with an SVM.';
    const [f] = extractFacts(text);
    expect(f.value).toBe(99.2);
    expect(text).toContain(f.span);
    expect(f.span).toMatch(/^mean cross-validation\naccuracy of {2}99\.2\\%/);
  });

  it('takes a whole formula into the span, never half of one', () => {
    // From real abstracts, where spans used to start or end inside a formula and showed raw TeX.
    const text =
      'We show that it drives BBH down by $-46.82\\%$, but a $1\\%$ multiplicative increase beyond $n$ observations gives a $748\\times$ speedup on $$\\mathrm{GSM8K}$$.';
    const facts = extractFacts(text);
    expect(facts.length).toBeGreaterThan(0);
    for (const f of facts) {
      expect(text).toContain(f.span);
      // An even number of unescaped dollars: the span opens and closes every formula it touches.
      expect((f.span.match(/(?<!\\)\$/g) ?? []).length % 2).toBe(0);
    }
    expect(facts.map((f) => f.span).join(' ')).toContain('$-46.82\\%$');
  });

  it('ends a TeX command at the first non-letter: $0.950\\pm0.011$ is 0.950 ± 0.011', () => {
    // `\pm0` used to be read as one command and dropped, gluing the numbers into "0.9500.011".
    expect(extractFacts('We reach an AUROC of $0.950\\pm0.011$ on the test set.')).toMatchObject([
      { value: 0.95, unit: '', kind: 'score', metric: 'AUROC' },
    ]);
    // From a real abstract: it gave "0.5 AUROC" and "0.3% sensitivity" before.
    const wrong = extractFacts('Prost-RL achieves $79.0\\pm3.5$ AUROC with $64.6\\pm6.3$% sensitivity.');
    expect(wrong.map((f) => f.value)).not.toContain(0.5);
    expect(wrong.map((f) => f.value)).not.toContain(0.3);
  });
});
