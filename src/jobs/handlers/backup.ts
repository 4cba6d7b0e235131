import path from 'node:path';
import { z } from 'zod';
import { backupFileName, pruneBackups, takeBackup } from '../../services/backup.js';
import { defineJob, PermanentJobError } from '../job.js';

/**
 * The scheduled backup (schedule.ts, daily when BACKUP_DIR is set): a new file named by its time,
 * then the oldest beyond BACKUP_KEEP deleted. Idempotent enough: a retry writes a new file.
 */
export const backupJob = defineJob({
  type: 'backup',
  payload: z.object({}),
  maxAttempts: 3,
  async run({ app, log }) {
    const dir = app.config.backupDir;
    if (!dir) throw new PermanentJobError('backup: BACKUP_DIR is unset');
    const taken = await takeBackup(app, path.join(dir, backupFileName(app.clock.now())), 'job');
    const deleted = pruneBackups(dir, app.config.backupKeep);
    log.info({ ...taken, deleted }, 'backup job done');
    return { file: taken.file, bytes: taken.bytes, deleted };
  },
});
