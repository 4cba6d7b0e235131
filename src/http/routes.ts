import type { App } from '../services/app.js';
import type { ApiHandler } from './api/api.js';
import { dailyPapersApi } from './api/daily-papers.js';
import { openApiDocument } from './api/openapi.js';
import { listPapersApi, paperApi, searchApi } from './api/papers.js';
import { dailyFeed, type FeedHandler, orgFeed, searchFeed, trendingFeed } from './feeds/feeds.js';
import { type Asset, favicon, siteCss, siteJs } from './ui/assets.js';
import type { PageHandler } from './ui/page.js';
import { dayPage, dayPickerRedirect } from './ui/pages/day.js';
import { homePage } from './ui/pages/home.js';
import { monthPage } from './ui/pages/month.js';
import { newOnArxivPage } from './ui/pages/new-on-arxiv.js';
import { orgPage } from './ui/pages/org.js';
import { paperPage } from './ui/pages/paper.js';
import { searchPage } from './ui/pages/search.js';
import { trendingPage } from './ui/pages/trending.js';
import { weekPage } from './ui/pages/week.js';

/**
 * THE route table of the site: every page, API endpoint, feed and asset, in one list, so a route
 * is found by reading this file and opening the one file its handler names. `cache: true` means
 * the response depends only on the URL and the content version (see http/cache.ts): a vote, a
 * comment or an import bumps the version. Other features (accounts, votes, subscriptions) register
 * their routes in their own tables beside this one.
 */
export type Route =
  | { kind: 'page'; url: string; handler: PageHandler; cache: boolean }
  | { kind: 'api'; url: string; handler: ApiHandler; cache: boolean }
  | { kind: 'feed'; url: string; handler: FeedHandler; cache: boolean }
  | { kind: 'asset'; url: string; asset: Asset }
  | { kind: 'json'; url: string; body: (app: App) => unknown };

export const routes: Route[] = [
  // Pages (src/http/ui/pages/)
  { kind: 'page', url: '/', handler: homePage, cache: true },
  { kind: 'page', url: '/papers/date', handler: dayPickerRedirect, cache: false },
  { kind: 'page', url: '/papers/date/:day', handler: dayPage, cache: true },
  { kind: 'page', url: '/papers/week/:week', handler: weekPage, cache: true },
  { kind: 'page', url: '/papers/month/:month', handler: monthPage, cache: true },
  { kind: 'page', url: '/papers/trending', handler: trendingPage, cache: true },
  { kind: 'page', url: '/papers/new', handler: newOnArxivPage, cache: true },
  { kind: 'page', url: '/papers/new/:day', handler: newOnArxivPage, cache: true },
  { kind: 'page', url: '/papers', handler: searchPage, cache: true },
  // Any id form, old-style ids with their slash too: /papers/hep-th/9504118, /papers/2501.01234v2.
  { kind: 'page', url: '/papers/*', handler: paperPage, cache: true },
  { kind: 'page', url: '/orgs/:name', handler: orgPage, cache: true },

  // JSON API, compatible with Hugging Face's (src/http/api/)
  { kind: 'api', url: '/api/daily_papers', handler: dailyPapersApi, cache: true },
  { kind: 'api', url: '/api/papers', handler: listPapersApi, cache: true },
  { kind: 'api', url: '/api/papers/search', handler: searchApi, cache: true },
  { kind: 'api', url: '/api/papers/*', handler: paperApi, cache: true },
  { kind: 'json', url: '/openapi.json', body: (app) => openApiDocument(app.config.baseUrl) },

  // Feeds, RSS 2.0 (.xml) and Atom (.atom) (src/http/feeds/)
  { kind: 'feed', url: '/feeds/daily.xml', handler: dailyFeed('rss'), cache: true },
  { kind: 'feed', url: '/feeds/daily.atom', handler: dailyFeed('atom'), cache: true },
  { kind: 'feed', url: '/feeds/trending.xml', handler: trendingFeed('rss'), cache: true },
  { kind: 'feed', url: '/feeds/trending.atom', handler: trendingFeed('atom'), cache: true },
  { kind: 'feed', url: '/feeds/search.xml', handler: searchFeed('rss'), cache: true },
  { kind: 'feed', url: '/feeds/search.atom', handler: searchFeed('atom'), cache: true },
  { kind: 'feed', url: '/feeds/orgs/:file', handler: orgFeed, cache: true },

  // Assets, addressed by content hash (src/http/ui/assets/)
  { kind: 'asset', url: siteCss.url, asset: siteCss },
  { kind: 'asset', url: siteJs.url, asset: siteJs },
  { kind: 'asset', url: favicon.url, asset: favicon },
  // Browsers ask for /favicon.ico on pages without a <link rel=icon> (e.g. a feed shown as XML).
  { kind: 'asset', url: '/favicon.ico', asset: favicon },
  { kind: 'json', url: '/healthz', body: () => ({ ok: true }) },
];
