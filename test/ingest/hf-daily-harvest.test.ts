import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { HF_HARVEST_KEY, harvestHfDaily } from '../../src/ingest/hf-daily/client.js';
import { unwrapDay } from '../../src/ingest/hf-daily/parse.js';
import { getHarvestState } from '../../src/store/harvest-store.js';
import { createTestDb, TEST_DIALECTS, type TestDb } from '../helpers/db.js';
import { type ReplayServer, startReplayServer } from '../helpers/replay-server.js';
import { runCli } from '../helpers/run-cli.js';
import { sharedDataMissing, sharedPath, titleOrSkipped } from '../helpers/shared.js';

// Hugging Face's recorded days (../shared/data, never committed): without them the harvest is skipped.
const MISSING = sharedDataMissing('hf-daily', 'hf-daily-2024-05-27_2025-12-31.tar.zst');

// Four real days around a weekend: Friday 2024-12-20 and Monday 2024-12-23 hold Python-repr items.
const RECORDED = ['2024-12-19', '2024-12-20', '2024-12-23', '2024-12-24'];
let tmp: string;
const body = (day: string) => fs.readFileSync(path.join(tmp, 'hf-daily', `${day}.json`), 'utf8');
const count = (day: string) => unwrapDay(JSON.parse(body(day)), day).length;

beforeAll(() => {
  if (MISSING) return;
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'pb-hf-harvest-'));
  execFileSync('tar', [
    '--zstd',
    '-xf',
    sharedPath('hf-daily', 'hf-daily-2024-05-27_2025-12-31.tar.zst'),
    '-C',
    tmp,
    ...RECORDED.map((d) => `hf-daily/${d}.json`),
  ]);
});
afterAll(() => {
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

describe.skipIf(MISSING !== null).each(TEST_DIALECTS)(
  titleOrSkipped('Hugging Face Daily Papers harvest on %s', MISSING),
  (dialect) => {
    let db: TestDb;
    let server: ReplayServer;
    beforeEach(async () => {
      db = await createTestDb(dialect);
      // The recorded API answers; a day without papers (the weekend) is an empty list, as the API gives.
      server = await startReplayServer((p) => {
        const day = new URL(p, 'http://x').searchParams.get('date') ?? '';
        return {
          status: 200,
          headers: { 'content-type': 'application/json' },
          body: RECORDED.includes(day) ? body(day) : '[]',
        };
      });
    });
    afterEach(async () => {
      await server.close();
      await db.drop();
    });

    it('fetches day by day, politely, and continues from the last day fetched', async () => {
      const sleeps: number[] = [];
      // A long polite delay with a recording sleep: every pause is asked for, nothing really waits.
      const opts = {
        baseUrl: `${server.url}/api/daily_papers`,
        delayMs: 600_000,
        sleep: async (ms: number) => void sleeps.push(ms),
      };
      const s = await harvestHfDaily(db, { ...opts, from: '2024-12-20', until: '2024-12-23' });
      expect(server.requests.map((r) => new URL(r.path, 'http://x').searchParams.get('date'))).toEqual([
        '2024-12-20',
        '2024-12-21',
        '2024-12-22',
        '2024-12-23',
      ]);
      expect(s).toMatchObject({
        days: 4,
        read: count('2024-12-20') + count('2024-12-23'),
        inserted: count('2024-12-20') + count('2024-12-23'),
        rejected: 0,
      });
      expect(sleeps).toHaveLength(3);
      for (const ms of sleeps) expect(ms).toBeGreaterThan(500_000);
      expect(await getHarvestState(db, HF_HARVEST_KEY)).toMatchObject({ datestamp: '2024-12-23' });

      // Next run: from the last day fetched (refetched: its counts were still moving), to --until.
      const next = await harvestHfDaily(db, { ...opts, until: '2024-12-24' });
      expect(next).toMatchObject({
        from: '2024-12-23',
        days: 2,
        inserted: count('2024-12-24'),
        unchanged: count('2024-12-23'),
      });
      const entries = await db.kysely
        .selectFrom('daily_entries')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .executeTakeFirstOrThrow();
      expect(Number(entries.n)).toBe(count('2024-12-20') + count('2024-12-23') + count('2024-12-24'));
    });

    it('stops with a clear error on a failing API, keeping the days already fetched', async () => {
      await server.close();
      server = await startReplayServer((p) =>
        p.includes('2024-12-20') ? { status: 200, body: body('2024-12-20') } : { status: 500, body: 'Internal Error' },
      );
      const r = await runCli(
        [
          'harvest',
          'hf-daily',
          '--url',
          `${server.url}/api/daily_papers`,
          '--from',
          '2024-12-20',
          '--until',
          '2024-12-23',
          '--quiet',
        ],
        db.env,
      );
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(
        /Hugging Face API: HTTP 500 for http:\/\/127\.0\.0\.1:\d+\/api\/daily_papers\?date=2024-12-21: Internal Error/,
      );
      expect(await getHarvestState(db, HF_HARVEST_KEY)).toMatchObject({ datestamp: '2024-12-20' });
      const bad = await runCli(['harvest', 'hf-daily', '--from', '2024-12-24', '--until', '2024-12-20'], db.env);
      expect(bad.stderr).toContain('--from 2024-12-24 is after --until 2024-12-20');
    });
  },
);
