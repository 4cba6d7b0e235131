import { loadConfig } from '../../src/config/config.js';
import type { App } from '../../src/services/app.js';
import type { TestDb } from './db.js';

export const TEST_SECRET = 'test-secret-key-0123456789abcdef0123456789';

/** An App over a test database, with config from `env` (SMTP_URL, BASE_URL …). */
export function testApp(db: TestDb, env: Record<string, string> = {}): App {
  return {
    config: loadConfig({ SECRET_KEY: TEST_SECRET, BASE_URL: 'https://papers.example.org', ...env }),
    db,
    close: async () => {},
  };
}
