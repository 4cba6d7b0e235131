import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GIVE_WAY_MAX_MS, WAITING_FRESH_MS, WriterTurns } from './writer-turns.js';

// Two processes played by two pids on one file: a web process that waits, an import that gives way.
describe('WriterTurns', () => {
  let dir: string;
  let file: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'paperboy-turns-'));
    file = path.join(dir, 'site.db-writer-waiting');
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('tells another process that a writer waits, until the last waiter is through, and never itself', () => {
    const web = new WriterTurns(file, 1001);
    const importer = new WriterTurns(file, 1002);
    expect(importer.othersWaiting()).toBe(false); // no file yet
    web.startWaiting();
    web.startWaiting();
    expect(importer.othersWaiting()).toBe(true);
    expect(web.othersWaiting()).toBe(false);
    web.stopWaiting();
    expect(importer.othersWaiting()).toBe(true); // one still waits
    web.stopWaiting();
    expect(importer.othersWaiting()).toBe(false);
  });

  it('treats a stamp older than WAITING_FRESH_MS as nobody waiting (a process killed while waiting)', () => {
    const web = new WriterTurns(file, 1001);
    const importer = new WriterTurns(file, 1002);
    const t = Date.now();
    web.startWaiting(t);
    expect(importer.othersWaiting(t + WAITING_FRESH_MS - 1)).toBe(true);
    expect(importer.othersWaiting(t + WAITING_FRESH_MS)).toBe(false);
  });

  it("leaves another process's stamp when its own waiters are done", () => {
    const web1 = new WriterTurns(file, 1001);
    const web2 = new WriterTurns(file, 1003);
    const importer = new WriterTurns(file, 1002);
    web1.startWaiting();
    web2.startWaiting();
    web1.stopWaiting();
    expect(importer.othersWaiting()).toBe(true);
  });

  it('gives way until the waiter is through, and no longer than GIVE_WAY_MAX_MS however long it waits', async () => {
    const web = new WriterTurns(file, 1001);
    const importer = new WriterTurns(file, 1002);
    web.startWaiting();
    setTimeout(() => web.stopWaiting(), 40);
    const gave = await importer.giveWay();
    expect(gave).toBeGreaterThanOrEqual(30);
    expect(gave).toBeLessThan(GIVE_WAY_MAX_MS);

    web.startWaiting();
    const stamping = setInterval(() => web.keepWaiting(), 5);
    try {
      const t0 = Date.now();
      await importer.giveWay();
      const took = Date.now() - t0;
      expect(took).toBeGreaterThanOrEqual(GIVE_WAY_MAX_MS);
      expect(took).toBeLessThan(GIVE_WAY_MAX_MS + 250);
    } finally {
      clearInterval(stamping);
    }
    expect(await new WriterTurns(file, 1002).giveWay()).toBeLessThan(GIVE_WAY_MAX_MS); // stale soon after
  });
});
