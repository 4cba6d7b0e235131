import type { PaperRecord } from '../../model/paper.js';
import { upsertPapers } from '../../store/paper-store.js';
import type { ImportSource } from '../import-runner.js';
import { readJsonLines } from '../json-lines.js';
import { parseKaggleLine } from './parse.js';

/** `paperboy import kaggle arxiv-metadata-oai-snapshot.json[.gz|.zst]`. */
export const kaggleSource: ImportSource<PaperRecord> = {
  name: 'kaggle',
  read: (file) => readJsonLines(file, parseKaggleLine),
  async write(db, values) {
    return (await upsertPapers(db, values)).status;
  },
};
