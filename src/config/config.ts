import { isIP } from 'node:net';
import path from 'node:path';
import { z } from 'zod';
import { type CommunityConfig, intVar, loadCommunityConfig } from './community.js';

/**
 * Configuration from the environment, validated once at start and frozen.
 * A bad value fails fast with the variable's name and how to fix it.
 *
 * @example
 * const config = loadConfig({ PORT: '8080', DATABASE_URL: 'sqlite:./pb.db' });
 */
export type DatabaseTarget = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export interface Config {
  port: number;
  host: string;
  database: DatabaseTarget;
  baseUrl: string;
  secretKey: string;
  smtpUrl: string | null;
  /** Sender of every mail (MAIL_FROM); defaults to paperboy <no-reply@BASE_URL's host>. */
  mailFrom: string;
  /** True when SECRET_KEY was not given and a development key is in use. */
  insecureDevSecret: boolean;
  logLevel: string;
  /** HARVEST_OAI: the OAI set to harvest daily from arXiv (e.g. `cs`), `all` for everything, or null (off, the offline default). */
  harvestOaiSet: string | null;
  /** JOB_LEASE_SECONDS: how long a worker holds a job before another may take it over (a killed worker's jobs wait this long). */
  jobLeaseMs: number;
  /**
   * KEYWORD_SEARCH: who ranks keyword queries. `index` (the default): the in-process BM25F index,
   * on either database. `database` (PostgreSQL only): PostgreSQL's own full-text search over a GIN
   * index, so web processes need not hold the keyword index in memory.
   */
  keywordSearch: KeywordSearchBackend;
  /**
   * TRUSTED_PROXIES: the reverse proxies whose X-Forwarded-For is believed (IP addresses, CIDR ranges,
   * or loopback / linklocal / uniquelocal). Empty (the default): the socket's address is the client's.
   * When set, the client is the right-most address not in the list, so a client cannot pick its own.
   */
  trustedProxies: string[];
  /**
   * METRICS_TOKEN: the bearer token Prometheus sends to scrape /metrics (`Authorization: Bearer …`);
   * null (unset) turns /metrics off (404), so nothing about the site is published by default.
   */
  metricsToken: string | null;
  /** BACKUP_DIR: where the daily backup job writes (null: no scheduled backups). */
  backupDir: string | null;
  /** BACKUP_KEEP: backups kept in BACKUP_DIR; older ones are deleted after each new one. */
  backupKeep: number;
  /** ARXIV_LOOKUP: submissions of papers not yet here are looked up on arXiv's API (on), or refused (off). */
  arxivLookup: boolean;
  /**
   * FIGURE_SOURCE: the page a paper's first figure is read from, `{id}` standing for its arXiv id
   * (default arXiv's HTML rendering); null (`off`, or ARXIV_LOOKUP=off) fetches no pictures.
   */
  figureSource: string | null;
  /** Accounts, rate limits and submission rules (see community.ts). */
  community: CommunityConfig;
}

export type KeywordSearchBackend = 'index' | 'database';
const KEYWORD_SEARCH_BACKENDS: readonly KeywordSearchBackend[] = ['index', 'database'];

const DEFAULT_PORT = 3000;
/** arXiv's HTML rendering of a paper, whose first `<figure><img>` is its first figure. */
const DEFAULT_FIGURE_SOURCE = 'https://arxiv.org/html/{id}';
const DEFAULT_SQLITE_FILE = './data/paperboy.db';
const DEFAULT_JOB_LEASE_SECONDS = 5 * 60;
/** Shorter leases risk a busy worker losing a healthy job between renewals (a third of the lease). */
const MIN_JOB_LEASE_SECONDS = 3;
const MAX_JOB_LEASE_SECONDS = 24 * 60 * 60;
const DEV_SECRET = 'paperboy-development-secret-change-me';
const MIN_SECRET_CHARS = 32;
/** Shorter tokens can be guessed by a scraper that tries; 16 random characters cannot. */
const MIN_METRICS_TOKEN_CHARS = 16;
/** A week of daily backups by default. */
const DEFAULT_BACKUP_KEEP = 7;
const MAX_BACKUP_KEEP = 1000;

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function parseDatabaseUrl(raw: string | undefined): DatabaseTarget {
  const value = (raw ?? '').trim();
  if (value === '') return { kind: 'sqlite', file: path.resolve(DEFAULT_SQLITE_FILE) };
  if (/^postgres(ql)?:\/\//i.test(value)) {
    try {
      new URL(value);
    } catch {
      throw new ConfigError(
        `DATABASE_URL is not a valid PostgreSQL URL (${value}). Fix: use postgres://user:password@host:5432/database.`,
      );
    }
    return { kind: 'postgres', url: value };
  }
  if (/^sqlite:/i.test(value)) {
    const file = value.replace(/^sqlite:(\/\/)?/i, '');
    if (file === '') throw new ConfigError('DATABASE_URL "sqlite:" names no file. Fix: use sqlite:./data/paperboy.db.');
    return { kind: 'sqlite', file: file === ':memory:' ? file : path.resolve(file) };
  }
  if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value)) {
    throw new ConfigError(
      `DATABASE_URL has an unsupported scheme (${value.split(':')[0]}). Fix: use a file path, sqlite:FILE or postgres://….`,
    );
  }
  return { kind: 'sqlite', file: value === ':memory:' ? value : path.resolve(value) };
}

/** KEYWORD_SEARCH: `index` unless set; `database` only where there is a database that can rank (PostgreSQL). */
function parseKeywordSearch(
  raw: string | undefined,
  database: DatabaseTarget,
  problems: string[],
): KeywordSearchBackend {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') return 'index';
  if (!(KEYWORD_SEARCH_BACKENDS as readonly string[]).includes(value)) {
    problems.push(
      `KEYWORD_SEARCH must be index or database (got "${raw}"). Fix: KEYWORD_SEARCH=index (the in-process index, any database).`,
    );
    return 'index';
  }
  if (value === 'database' && database.kind !== 'postgres') {
    problems.push(
      'KEYWORD_SEARCH=database needs PostgreSQL (SQLite has no full-text ranking paperboy uses). Fix: unset KEYWORD_SEARCH (or KEYWORD_SEARCH=index), or set DATABASE_URL=postgres://….',
    );
    return 'index';
  }
  return value as KeywordSearchBackend;
}

const PROXY_PRESETS = ['loopback', 'linklocal', 'uniquelocal'];

/** TRUSTED_PROXIES: a comma-separated list of IPs, CIDR ranges or presets; empty trusts no proxy. */
function parseTrustedProxies(raw: string | undefined, problems: string[]): string[] {
  const items = (raw ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (const item of items) {
    const [addr, bits, extra] = item.split('/');
    const kind = isIP(addr);
    const okBits = bits === undefined || (/^\d{1,3}$/.test(bits) && Number(bits) <= (kind === 6 ? 128 : 32));
    if (!PROXY_PRESETS.includes(item) && (kind === 0 || !okBits || extra !== undefined)) {
      problems.push(
        `TRUSTED_PROXIES must list IP addresses, CIDR ranges or ${PROXY_PRESETS.join('/')}, comma-separated (got "${item}"). Fix: TRUSTED_PROXIES=127.0.0.1 for a proxy on this machine.`,
      );
    }
  }
  return items;
}

const portSchema = z.coerce.number().int().min(1).max(65535);

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Readonly<Config> {
  const problems: string[] = [];
  const port = env.PORT === undefined || env.PORT === '' ? DEFAULT_PORT : portSchema.safeParse(env.PORT);
  let portValue = DEFAULT_PORT;
  if (typeof port === 'number') portValue = port;
  else if (port.success) portValue = port.data;
  else problems.push(`PORT must be a whole number from 1 to 65535 (got "${env.PORT}"). Fix: PORT=3000.`);

  let database: DatabaseTarget = { kind: 'sqlite', file: path.resolve(DEFAULT_SQLITE_FILE) };
  try {
    database = parseDatabaseUrl(env.DATABASE_URL);
  } catch (err) {
    problems.push((err as Error).message);
  }

  let baseUrl = `http://localhost:${portValue}`;
  if (env.BASE_URL) {
    try {
      const u = new URL(env.BASE_URL);
      if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error('scheme');
      baseUrl = u.toString().replace(/\/+$/, '');
    } catch {
      problems.push(
        `BASE_URL must be an http(s) URL (got "${env.BASE_URL}"). Fix: BASE_URL=https://papers.example.org.`,
      );
    }
  }

  let secretKey = DEV_SECRET;
  let insecureDevSecret = true;
  if (env.SECRET_KEY !== undefined && env.SECRET_KEY !== '') {
    if (env.SECRET_KEY.length < MIN_SECRET_CHARS) {
      problems.push(
        `SECRET_KEY must be at least ${MIN_SECRET_CHARS} characters. Fix: SECRET_KEY=$(openssl rand -hex 32).`,
      );
    } else {
      secretKey = env.SECRET_KEY;
      insecureDevSecret = false;
    }
  } else if (env.NODE_ENV === 'production') {
    problems.push('SECRET_KEY is required when NODE_ENV=production. Fix: SECRET_KEY=$(openssl rand -hex 32).');
  }

  let smtpUrl: string | null = null;
  if (env.SMTP_URL) {
    if (!/^smtps?:\/\/[^/]+/i.test(env.SMTP_URL)) {
      problems.push(`SMTP_URL must look like smtp://user:pass@host:587 or smtps://… (got "${env.SMTP_URL}").`);
    } else smtpUrl = env.SMTP_URL;
  }

  let mailFrom = `paperboy <no-reply@${new URL(baseUrl).hostname}>`;
  if (env.MAIL_FROM) {
    if (!/^[^<>@\s]+@[^<>@\s]+$|^[^<>]*<[^<>@\s]+@[^<>@\s]+>$/.test(env.MAIL_FROM.trim())) {
      problems.push(
        `MAIL_FROM must be an address or "Name <address>" (got "${env.MAIL_FROM}"). Fix: MAIL_FROM="paperboy <digest@example.org>".`,
      );
    } else mailFrom = env.MAIL_FROM.trim();
  }

  let harvestOaiSet: string | null = null;
  const harvest = (env.HARVEST_OAI ?? '').trim();
  if (harvest !== '' && harvest !== 'off') {
    if (!/^[a-z-]+(:[a-zA-Z-]+)?$/.test(harvest)) {
      problems.push(
        `HARVEST_OAI must be an arXiv OAI set such as cs or physics:hep-th, all, or off (got "${harvest}").`,
      );
    } else harvestOaiSet = harvest;
  }
  const jobLeaseSeconds = intVar(
    env,
    'JOB_LEASE_SECONDS',
    DEFAULT_JOB_LEASE_SECONDS,
    MIN_JOB_LEASE_SECONDS,
    MAX_JOB_LEASE_SECONDS,
    problems,
  );
  const keywordSearch = parseKeywordSearch(env.KEYWORD_SEARCH, database, problems);
  const community = loadCommunityConfig(env, problems);
  const trustedProxies = parseTrustedProxies(env.TRUSTED_PROXIES, problems);
  const lookupRaw = (env.ARXIV_LOOKUP ?? 'on').trim().toLowerCase();
  if (!['on', 'off'].includes(lookupRaw))
    problems.push(
      `ARXIV_LOOKUP must be on or off (got "${env.ARXIV_LOOKUP}"). Fix: ARXIV_LOOKUP=off on a site with no network.`,
    );

  const figureRaw = (env.FIGURE_SOURCE ?? DEFAULT_FIGURE_SOURCE).trim();
  let figureSource: string | null = null;
  if (figureRaw.toLowerCase() !== 'off') {
    if (!/^https?:\/\/[^\s]+$/.test(figureRaw) || !figureRaw.includes('{id}'))
      problems.push(
        `FIGURE_SOURCE must be an http(s) URL containing {id}, or off (got "${env.FIGURE_SOURCE}"). Fix: FIGURE_SOURCE=${DEFAULT_FIGURE_SOURCE}.`,
      );
    else figureSource = figureRaw;
  }

  let metricsToken: string | null = null;
  const metricsRaw = (env.METRICS_TOKEN ?? '').trim();
  if (metricsRaw !== '') {
    if (metricsRaw.length < MIN_METRICS_TOKEN_CHARS || /\s/.test(metricsRaw))
      problems.push(
        `METRICS_TOKEN must be at least ${MIN_METRICS_TOKEN_CHARS} characters with no spaces. Fix: METRICS_TOKEN=$(openssl rand -hex 24).`,
      );
    else metricsToken = metricsRaw;
  }

  const backupDir = (env.BACKUP_DIR ?? '').trim() ? path.resolve((env.BACKUP_DIR ?? '').trim()) : null;
  const backupKeep = intVar(env, 'BACKUP_KEEP', DEFAULT_BACKUP_KEEP, 1, MAX_BACKUP_KEEP, problems);

  if (problems.length > 0) {
    throw new ConfigError(`paperboy: invalid configuration:\n  - ${problems.join('\n  - ')}`);
  }
  return Object.freeze({
    port: portValue,
    host: env.HOST || '0.0.0.0',
    database,
    baseUrl,
    secretKey,
    smtpUrl,
    mailFrom,
    insecureDevSecret,
    arxivLookup: lookupRaw !== 'off',
    // A site told it has no network (ARXIV_LOOKUP=off) fetches no pictures either.
    figureSource: lookupRaw === 'off' ? null : figureSource,
    trustedProxies,
    metricsToken,
    backupDir,
    backupKeep,
    logLevel: env.LOG_LEVEL || 'info',
    harvestOaiSet,
    jobLeaseMs: jobLeaseSeconds * 1000,
    keywordSearch,
    community,
  });
}
