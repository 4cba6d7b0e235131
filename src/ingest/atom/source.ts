import fs from 'node:fs/promises';
import type { PaperRecord } from '../../model/paper.js';
import { upsertPapers } from '../../store/paper-store.js';
import type { ImportSource } from '../import-runner.js';
import { atomEntryToRecord, parseAtomEntries, unwrapRecording } from './parse.js';

/** API responses are one page (at most a few MB): read whole, unlike the line-streamed formats. */
const MAX_ATOM_FILE_BYTES = 64 * 1024 * 1024;

/**
 * `paperboy import atom query1.xml id_2104.12255v1.json …`: raw Atom bodies or recorded
 * `{url, status_code, body}` exchanges. "line" in a reject is the entry's number in the feed
 * (0 for the file as a whole, e.g. arXiv's "incorrect id format for abc" error feed).
 */
export const atomSource: ImportSource<PaperRecord> = {
  name: 'atom',
  async *read(file) {
    const stat = await fs.stat(file);
    if (stat.size > MAX_ATOM_FILE_BYTES) {
      yield { file, line: 0, error: `file is ${stat.size} bytes; an API response is at most ${MAX_ATOM_FILE_BYTES}` };
      return;
    }
    let items: ReturnType<typeof parseAtomEntries>;
    try {
      const { body, status } = unwrapRecording(await fs.readFile(file, 'utf8'));
      items = parseAtomEntries(body, status);
    } catch (err) {
      yield { file, line: 0, error: (err as Error).message };
      return;
    }
    for (const [i, item] of items.entries()) {
      if (item instanceof Error) yield { file, line: i + 1, error: item.message };
      else {
        let value: PaperRecord;
        try {
          value = atomEntryToRecord(item);
        } catch (err) {
          yield { file, line: i + 1, error: (err as Error).message };
          continue;
        }
        yield { file, line: i + 1, value };
      }
    }
  },
  async write(db, values) {
    return (await upsertPapers(db, values)).status;
  },
};
