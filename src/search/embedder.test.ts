import { describe, expect, it } from 'vitest';
import { seededRandom } from '../lib/seeded-random.js';
import { LsaEmbedder } from './embedder.js';

const TOPICS = [
  'graph neural networks message passing molecules chemistry',
  'language models transformers attention translation text',
  'protein folding structure biology residues',
  'reinforcement learning agents reward policy control',
];

function corpus(n: number): Array<{ title: string; abstract: string }> {
  const rnd = seededRandom(3);
  return Array.from({ length: n }, (_, i) => {
    const words = TOPICS[i % TOPICS.length].split(' ');
    const pick = (m: number) => Array.from({ length: m }, () => words[Math.floor(rnd() * words.length)]).join(' ');
    return { title: pick(5), abstract: `${pick(30)} Überblick ${i % 7}` };
  });
}

const dot = (a: Float32Array, b: Float32Array) => a.reduce((s, x, j) => s + x * b[j], 0);

describe('LsaEmbedder', () => {
  const docs = corpus(400);
  const model = LsaEmbedder.train(docs, { dimensions: 8 });

  it('embeds a paper as its title twice and its abstract, pooled', () => {
    // embedDoc reads words through the word table, embedQuery through tokenize: the same vector.
    for (const d of docs.slice(0, 20)) {
      const v = model.embedDoc(d)!;
      const q = model.embedQuery(`${d.title} ${d.title} ${d.abstract}`)!;
      expect(dot(v, v)).toBeCloseTo(1, 5);
      expect(dot(v, q)).toBeGreaterThan(0.9999);
    }
  });

  it('puts papers on one topic nearer each other than papers on another', () => {
    const [a, b, c] = [model.embedDoc(docs[0])!, model.embedDoc(docs[4])!, model.embedDoc(docs[1])!];
    expect(dot(a, b)).toBeGreaterThan(dot(a, c));
  });

  it('gives no vector for text of words it does not know', () => {
    expect(model.embedDoc({ title: 'zzzq', abstract: 'the of and' })).toBeNull();
    expect(model.embedQuery('')).toBeNull();
  });

  it('survives serialisation', () => {
    const again = LsaEmbedder.deserialize(model.serialize());
    expect(Array.from(again.embedDoc(docs[2])!)).toEqual(Array.from(model.embedDoc(docs[2])!));
  });
});
