/** Binary-relevance ranking metrics, as trec_eval computes them. */

export function ndcgAt(ranked: number[], relevant: Set<number>, k: number): number {
  let dcg = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i])) dcg += 1 / Math.log2(i + 2);
  let ideal = 0;
  for (let i = 0; i < Math.min(k, relevant.size); i++) ideal += 1 / Math.log2(i + 2);
  return ideal > 0 ? dcg / ideal : 0;
}

/** Average precision over the whole ranking given (MAP is its mean over queries). */
export function averagePrecision(ranked: number[], relevant: Set<number>): number {
  let hits = 0;
  let sum = 0;
  for (let i = 0; i < ranked.length; i++) {
    if (relevant.has(ranked[i])) {
      hits++;
      sum += hits / (i + 1);
    }
  }
  return relevant.size > 0 ? sum / relevant.size : 0;
}

export function recallAt(ranked: number[], relevant: Set<number>, k: number): number {
  let hits = 0;
  for (let i = 0; i < Math.min(k, ranked.length); i++) if (relevant.has(ranked[i])) hits++;
  return relevant.size > 0 ? hits / relevant.size : 0;
}
