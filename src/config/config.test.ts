import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig, parseDatabaseUrl } from './config.js';

describe('config', () => {
  it('defaults to SQLite in ./data and port 3000', () => {
    const c = loadConfig({});
    expect(c.port).toBe(3000);
    expect(c.database).toEqual({ kind: 'sqlite', file: path.resolve('./data/paperboy.db') });
    expect(c.baseUrl).toBe('http://localhost:3000');
    expect(c.insecureDevSecret).toBe(true);
  });
  it('reads file paths, sqlite: URLs and postgres URLs', () => {
    expect(parseDatabaseUrl('sqlite:/tmp/x.db')).toEqual({ kind: 'sqlite', file: '/tmp/x.db' });
    expect(parseDatabaseUrl('sqlite:///tmp/x.db')).toEqual({ kind: 'sqlite', file: '/tmp/x.db' });
    expect(parseDatabaseUrl('/tmp/y.db')).toEqual({ kind: 'sqlite', file: '/tmp/y.db' });
    expect(parseDatabaseUrl('postgres://u@127.0.0.1:5432/test')).toEqual({
      kind: 'postgres',
      url: 'postgres://u@127.0.0.1:5432/test',
    });
  });
  it('names the variable and the fix for bad values', () => {
    expect(() => loadConfig({ PORT: 'eighty' })).toThrow(/PORT .*Fix: PORT=3000/);
    expect(() => loadConfig({ DATABASE_URL: 'mysql://x' })).toThrow(/DATABASE_URL .*unsupported scheme/);
    expect(() => loadConfig({ BASE_URL: 'ftp://x' })).toThrow(/BASE_URL/);
    expect(() => loadConfig({ SECRET_KEY: 'short' })).toThrow(/SECRET_KEY .*at least 32/);
    expect(() => loadConfig({ SMTP_URL: 'mail.example.org' })).toThrow(/SMTP_URL/);
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(ConfigError);
    expect(() => loadConfig({ JOB_LEASE_SECONDS: '1' })).toThrow(/JOB_LEASE_SECONDS .*Fix: JOB_LEASE_SECONDS=300/);
    expect(() => loadConfig({ JOB_LEASE_SECONDS: 'soon' })).toThrow(/JOB_LEASE_SECONDS/);
    expect(loadConfig({ JOB_LEASE_SECONDS: '30' }).jobLeaseMs).toBe(30_000);
  });
  it('reads KEYWORD_SEARCH: index by default, database on PostgreSQL only', () => {
    expect(loadConfig({}).keywordSearch).toBe('index');
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', KEYWORD_SEARCH: 'database' }).keywordSearch).toBe(
      'database',
    );
    expect(loadConfig({ DATABASE_URL: 'postgres://u@127.0.0.1/db', KEYWORD_SEARCH: 'Index' }).keywordSearch).toBe(
      'index',
    );
    expect(() => loadConfig({ KEYWORD_SEARCH: 'database' })).toThrow(
      /KEYWORD_SEARCH=database needs PostgreSQL.*Fix: unset KEYWORD_SEARCH/,
    );
    expect(() => loadConfig({ DATABASE_URL: 'sqlite:/tmp/x.db', KEYWORD_SEARCH: 'database' })).toThrow(ConfigError);
    expect(() => loadConfig({ KEYWORD_SEARCH: 'fts5' })).toThrow(
      /KEYWORD_SEARCH must be index or database \(got "fts5"\)/,
    );
  });
  it('reads METRICS_TOKEN: off when unset, refused when short or spaced', () => {
    expect(loadConfig({}).metricsToken).toBeNull();
    expect(loadConfig({ METRICS_TOKEN: 'abcdefghijklmnop0123' }).metricsToken).toBe('abcdefghijklmnop0123');
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN must be at least 16 characters/);
    expect(() => loadConfig({ METRICS_TOKEN: 'abcdefgh ijklmnop0123' })).toThrow(/METRICS_TOKEN/);
  });

  it('lists every problem at once', () => {
    try {
      loadConfig({ PORT: '0', SECRET_KEY: 'x' });
      expect.unreachable();
    } catch (err) {
      expect((err as Error).message).toMatch(/PORT/);
      expect((err as Error).message).toMatch(/SECRET_KEY/);
    }
  });
});
