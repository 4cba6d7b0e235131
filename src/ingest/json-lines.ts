import { readLines } from '../lib/read-lines.js';
import type { ImportItem } from './import-runner.js';

/**
 * JSON Lines → parsed objects, each mapped by `toValue`; a line that is not JSON or that `toValue`
 * rejects (by throwing) becomes an error item with its line number. Blank lines are skipped.
 */
export async function* readJsonLines<T>(file: string, toValue: (obj: unknown) => T): AsyncGenerator<ImportItem<T>> {
  for await (const { line, text } of readLines(file)) {
    if (text.trim() === '') continue;
    let obj: unknown;
    try {
      obj = JSON.parse(text);
    } catch {
      yield { file, line, error: 'not valid JSON' };
      continue;
    }
    try {
      yield { file, line, value: toValue(obj) };
    } catch (err) {
      yield { file, line, error: (err as Error).message };
    }
  }
}
