import * as accounts from './actions/accounts.js';
import * as adminActions from './actions/admin.js';
import * as comments from './actions/comments.js';
import * as forYou from './actions/for-you.js';
import * as moderation from './actions/moderation.js';
import * as orgs from './actions/orgs.js';
import * as papers from './actions/papers.js';
import * as settings from './actions/settings.js';
import * as submissions from './actions/submissions.js';
import * as subscriptions from './actions/subscriptions.js';
import { deleteCommentApi, editCommentApi, listCommentsApi } from './api/comments.js';
import * as community from './api/community.js';
import { dailyPapersApi } from './api/daily-papers.js';
import { mcpMethodNotAllowed, mcpPost } from './api/mcp-http.js';
import { openApi } from './api/openapi.js';
import { paperPageOrMarkdown } from './api/paper-markdown.js';
import { listPapersApi, paperApi, searchApi } from './api/papers.js';
import { resultsApi } from './api/results.js';
import { asset, katexFont } from './assets.js';
import { authorFeed, dailyFeed, forYouFeed, orgFeed, resultsFeed, searchFeed, trendingFeed } from './feeds/feeds.js';
import { health, ready } from './health.js';
import { metrics } from './metrics.js';
import * as admin from './pages/admin.js';
import { outboxPage } from './pages/admin-outbox.js';
import { authorPage } from './pages/author.js';
import { dayPage, dayPickerRedirect } from './pages/day.js';
import { forYouApi, forYouPage, forYouSettingsPage } from './pages/for-you.js';
import { homePage } from './pages/home.js';
import { coverImage, figureImage, orgAvatarImage } from './pages/images.js';
import { monthPage } from './pages/month.js';
import { newOnArxivPage } from './pages/new-on-arxiv.js';
import { orgPage } from './pages/org.js';
import { orgsPage } from './pages/orgs.js';
import { profilePage } from './pages/profile.js';
import { resultRankingPage } from './pages/result-ranking.js';
import { resultsPage } from './pages/results.js';
import { savedBibtex, savedJson, savedPage } from './pages/saved.js';
import { searchPage } from './pages/search.js';
import { trendingPage } from './pages/trending.js';
import { weekPage } from './pages/week.js';
import type { Route } from './route.js';
import { favicon, KATEX_FONT_PREFIX, katexCss, siteCss, siteJs } from './ui/assets.js';

/**
 * THE route table: every page, action, API endpoint, feed and asset of the site. A row is the whole
 * contract — method, path, who may call it, CSRF, cache policy, rate limit, handler — and the server
 * (server.ts) enforces each column before the handler runs. Column meanings are in route.ts.
 * `:paper` is an arXiv id of either style (2501.01234, hep-th/9504118).
 */
// biome-ignore format: one route a line, so a route is read in one row
export const routes: Route[] = [
  // Lists and papers (pages/)
  { method: 'GET', path: '/', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: homePage },
  { method: 'GET', path: '/papers/date', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: dayPickerRedirect },
  { method: 'GET', path: '/papers/date/:day', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: dayPage },
  { method: 'GET', path: '/papers/week/:week', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: weekPage },
  { method: 'GET', path: '/papers/month/:month', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: monthPage },
  { method: 'GET', path: '/papers/trending', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: trendingPage },
  { method: 'GET', path: '/papers/new', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: newOnArxivPage },
  { method: 'GET', path: '/papers/new/:day', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: newOnArxivPage },
  { method: 'GET', path: '/papers', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: searchPage },
  // Any id form, old-style ids with their slash too: /papers/hep-th/9504118, /papers/2501.01234v2.
  // The same URL with .md, or asked for with Accept: text/markdown, is the paper as Markdown (api/paper-markdown.ts).
  { method: 'GET', path: '/papers/*', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: paperPageOrMarkdown },
  { method: 'GET', path: '/covers/*', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: coverImage },
  // A cached first figure never changes once fetched: kept a year like a hashed asset.
  { method: 'GET', path: '/figures/*', access: 'anyone', csrf: 'none', cache: 'asset', rateLimit: null, handler: figureImage },
  { method: 'GET', path: '/org-avatars/:file', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: orgAvatarImage },
  // Result rankings (issue #18): papers by the number their abstract claims, per kind, metric, setting, window
  { method: 'GET', path: '/results', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: resultsPage },
  { method: 'GET', path: '/results/:kind', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: resultRankingPage },
  { method: 'GET', path: '/authors/:name', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: authorPage },
  { method: 'GET', path: '/orgs', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: orgsPage },
  { method: 'GET', path: '/orgs/:name', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: orgPage },

  // Taking part in a paper (actions/papers.ts, actions/comments.ts)
  { method: 'POST', path: '/papers/:paper/upvote', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'vote', handler: papers.upvote },
  { method: 'POST', path: '/papers/:paper/save', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: papers.save },
  { method: 'POST', path: '/papers/:paper/comments', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'comment', handler: papers.comment },
  { method: 'POST', path: '/papers/:paper/claim', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: papers.claim },
  { method: 'POST', path: '/papers/:paper/not-interested', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'vote', handler: forYou.notInterested },
  { method: 'POST', path: '/papers/:paper/more-like-this', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'vote', handler: forYou.moreLikeThis },
  { method: 'POST', path: '/comments/:cid/edit', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'comment', handler: comments.edit },
  { method: 'POST', path: '/comments/:cid/delete', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: comments.remove },
  { method: 'POST', path: '/comments/:cid/flag', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'flag', handler: comments.flagComment },
  { method: 'GET', path: '/comments/:cid/history', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: comments.history },
  { method: 'GET', path: '/submit', access: 'user', csrf: 'none', cache: 'private', rateLimit: null, handler: submissions.submitPage },
  { method: 'POST', path: '/submit', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'submit', handler: submissions.submit },
  { method: 'POST', path: '/submissions/:sid/flag', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'flag', handler: submissions.flagSubmission },

  // Accounts (actions/accounts.ts, actions/settings.ts, pages/profile.ts, pages/saved.ts)
  { method: 'GET', path: '/signup', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: accounts.signupPage },
  { method: 'POST', path: '/signup', access: 'anyone', csrf: 'token', cache: 'private', rateLimit: 'signup', handler: accounts.signup },
  { method: 'GET', path: '/verify-email', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: accounts.verifyPage },
  { method: 'POST', path: '/verify-email', access: 'anyone', csrf: 'token', cache: 'private', rateLimit: null, handler: accounts.verify },
  { method: 'GET', path: '/login', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: accounts.loginPage },
  { method: 'POST', path: '/login', access: 'anyone', csrf: 'token', cache: 'private', rateLimit: 'login', handler: accounts.login },
  { method: 'POST', path: '/logout', access: 'anyone', csrf: 'token', cache: 'private', rateLimit: null, handler: accounts.logout },
  { method: 'GET', path: '/reset-password', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: accounts.resetPage },
  { method: 'POST', path: '/reset-password', access: 'anyone', csrf: 'token', cache: 'private', rateLimit: 'reset', handler: accounts.requestReset },
  { method: 'POST', path: '/reset-password/set', access: 'anyone', csrf: 'token', cache: 'private', rateLimit: 'reset', handler: accounts.setPassword },
  { method: 'GET', path: '/change-email/confirm', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: accounts.confirmEmailPage },
  { method: 'POST', path: '/change-email/confirm', access: 'anyone', csrf: 'token', cache: 'private', rateLimit: null, handler: accounts.confirmEmail },
  { method: 'GET', path: '/settings', access: 'user', csrf: 'none', cache: 'private', rateLimit: null, handler: settings.settingsPage },
  { method: 'POST', path: '/settings/password', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: settings.changePassword },
  { method: 'POST', path: '/settings/email', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: settings.changeEmail },
  { method: 'POST', path: '/settings/privacy', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: settings.privacy },
  { method: 'POST', path: '/settings/resend-verification', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: settings.resendVerification },
  { method: 'POST', path: '/settings/tokens', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: settings.createToken },
  { method: 'POST', path: '/settings/tokens/:tokenId/revoke', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: settings.revokeToken },
  { method: 'GET', path: '/users/:username', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: profilePage },
  { method: 'GET', path: '/saved', access: 'user', csrf: 'none', cache: 'private', rateLimit: null, handler: savedPage },
  { method: 'GET', path: '/saved.bib', access: 'user', csrf: 'none', cache: 'private', rateLimit: null, handler: savedBibtex },
  { method: 'GET', path: '/saved.json', access: 'user', csrf: 'none', cache: 'private', rateLimit: null, handler: savedJson },
  // For you (pages/for-you.ts, actions/for-you.ts)
  { method: 'GET', path: '/for-you', access: 'user', csrf: 'none', cache: 'private', rateLimit: null, handler: forYouPage },
  { method: 'GET', path: '/settings/for-you', access: 'user', csrf: 'none', cache: 'private', rateLimit: null, handler: forYouSettingsPage },
  { method: 'POST', path: '/for-you/signals', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'vote', handler: forYou.addSignal },
  { method: 'POST', path: '/settings/for-you/feed', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: forYou.newFeed },
  { method: 'POST', path: '/settings/for-you/feed/revoke', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: forYou.revokeFeedAddress },
  { method: 'POST', path: '/for-you/signals/remove', access: 'user', csrf: 'token', cache: 'private', rateLimit: 'vote', handler: forYou.deleteSignal },

  // Organisations (actions/orgs.ts)
  { method: 'GET', path: '/new-organisation', access: 'curator', csrf: 'none', cache: 'private', rateLimit: null, handler: orgs.newOrganizationPage },
  { method: 'POST', path: '/orgs', access: 'curator', csrf: 'token', cache: 'private', rateLimit: null, handler: orgs.create },
  { method: 'GET', path: '/orgs/:name/members', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: orgs.membersPage },
  { method: 'POST', path: '/orgs/:name/members', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: orgs.addMemberAction },
  { method: 'POST', path: '/orgs/:name/members/:username/remove', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: orgs.removeMember },
  { method: 'POST', path: '/orgs/:name/papers', access: 'user', csrf: 'token', cache: 'private', rateLimit: null, handler: orgs.linkPaperAction },

  // Moderation and administration (actions/moderation.ts)
  { method: 'GET', path: '/moderation/log', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: moderation.logPage },
  { method: 'GET', path: '/moderation', access: 'curator', csrf: 'none', cache: 'private', rateLimit: null, handler: moderation.queuePage },
  { method: 'POST', path: '/moderation/comments/:cid/hide', access: 'curator', csrf: 'token', cache: 'private', rateLimit: null, handler: moderation.hideCommentAction },
  { method: 'POST', path: '/moderation/comments/:cid/unhide', access: 'curator', csrf: 'token', cache: 'private', rateLimit: null, handler: moderation.unhideCommentAction },
  { method: 'POST', path: '/moderation/submissions/:sid/hide', access: 'curator', csrf: 'token', cache: 'private', rateLimit: null, handler: moderation.hideSubmissionAction },
  { method: 'POST', path: '/moderation/flags/dismiss', access: 'curator', csrf: 'token', cache: 'private', rateLimit: null, handler: moderation.dismiss },
  { method: 'POST', path: '/admin/users/:username/ban', access: 'admin', csrf: 'token', cache: 'private', rateLimit: null, handler: moderation.ban },
  { method: 'POST', path: '/admin/users/:username/unban', access: 'admin', csrf: 'token', cache: 'private', rateLimit: null, handler: moderation.unban },
  { method: 'POST', path: '/admin/users/:username/role', access: 'admin', csrf: 'token', cache: 'private', rateLimit: null, handler: moderation.role },
  { method: 'GET', path: '/admin/outbox', access: 'admin', csrf: 'none', cache: 'private', rateLimit: null, handler: outboxPage },
  // The admin console (pages/admin.ts, actions/admin.ts): every action goes to the audit log
  { method: 'GET', path: '/admin', access: 'admin', csrf: 'none', cache: 'private', rateLimit: null, handler: admin.overviewPage },
  { method: 'GET', path: '/admin/jobs', access: 'admin', csrf: 'none', cache: 'private', rateLimit: null, handler: admin.jobsPage },
  { method: 'POST', path: '/admin/jobs/:jobId/retry', access: 'admin', csrf: 'token', cache: 'private', rateLimit: null, handler: adminActions.retryJobAction },
  { method: 'POST', path: '/admin/jobs/:jobId/cancel', access: 'admin', csrf: 'token', cache: 'private', rateLimit: null, handler: adminActions.cancelJobAction },
  { method: 'GET', path: '/admin/mail', access: 'admin', csrf: 'none', cache: 'private', rateLimit: null, handler: admin.mailPage },
  { method: 'POST', path: '/admin/mail/:outboxId/resend', access: 'admin', csrf: 'token', cache: 'private', rateLimit: null, handler: adminActions.resendMailAction },
  { method: 'GET', path: '/admin/imports', access: 'admin', csrf: 'none', cache: 'private', rateLimit: null, handler: admin.importsPage },
  { method: 'GET', path: '/admin/search', access: 'admin', csrf: 'none', cache: 'private', rateLimit: null, handler: admin.searchAdminPage },
  { method: 'POST', path: '/admin/search/rebuild', access: 'admin', csrf: 'token', cache: 'private', rateLimit: null, handler: adminActions.rebuildSearchAction },
  { method: 'GET', path: '/admin/users', access: 'admin', csrf: 'none', cache: 'private', rateLimit: null, handler: admin.usersPage },
  { method: 'GET', path: '/admin/audit', access: 'admin', csrf: 'none', cache: 'private', rateLimit: null, handler: admin.auditPage },
  { method: 'POST', path: '/admin/claims/:claimId', access: 'admin', csrf: 'token', cache: 'private', rateLimit: null, handler: moderation.decideClaim },

  // Email subscriptions (actions/subscriptions.ts): links from mail carry a signed token, their authorisation
  { method: 'POST', path: '/subscribe', access: 'anyone', csrf: 'origin', cache: 'private', rateLimit: 'subscribe', handler: subscriptions.postSubscribe },
  { method: 'GET', path: '/subscribe/confirm', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: subscriptions.getConfirm },
  { method: 'GET', path: '/unsubscribe', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: subscriptions.getUnsubscribe },
  { method: 'POST', path: '/unsubscribe', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: subscriptions.postUnsubscribe },
  { method: 'GET', path: '/preferences', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: subscriptions.getPreferences },
  { method: 'POST', path: '/preferences', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: subscriptions.postPreferences },

  // JSON API, compatible with Hugging Face's (api/): tokens only, never cookies
  { method: 'GET', path: '/api/daily_papers', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: dailyPapersApi },
  { method: 'POST', path: '/api/daily_papers', access: 'user', scope: 'write', csrf: 'none', cache: 'private', rateLimit: 'submit', handler: community.submit },
  { method: 'GET', path: '/api/papers', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: listPapersApi },
  { method: 'GET', path: '/api/papers/search', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: searchApi },
  { method: 'POST', path: '/api/papers/index', access: 'user', scope: 'write', csrf: 'none', cache: 'private', rateLimit: 'submit', handler: community.indexPaper },
  { method: 'GET', path: '/api/papers/*', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: paperApi },
  { method: 'POST', path: '/api/papers/:paper/upvote', access: 'user', scope: 'write', csrf: 'none', cache: 'private', rateLimit: 'vote', handler: community.upvote },
  { method: 'DELETE', path: '/api/papers/:paper/upvote', access: 'user', scope: 'write', csrf: 'none', cache: 'private', rateLimit: 'vote', handler: community.unvote },
  { method: 'POST', path: '/api/papers/:paper/comment', access: 'user', scope: 'write', csrf: 'none', cache: 'private', rateLimit: 'comment', handler: community.addComment },
  { method: 'POST', path: '/api/papers/:paper/comment/:commentId/reply', access: 'user', scope: 'write', csrf: 'none', cache: 'private', rateLimit: 'comment', handler: community.replyComment },
  { method: 'GET', path: '/api/papers/:paper/comments', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: listCommentsApi },
  { method: 'PATCH', path: '/api/papers/:paper/comment/:commentId', access: 'user', scope: 'write', csrf: 'none', cache: 'private', rateLimit: 'comment', handler: editCommentApi },
  { method: 'DELETE', path: '/api/papers/:paper/comment/:commentId', access: 'user', scope: 'write', csrf: 'none', cache: 'private', rateLimit: null, handler: deleteCommentApi },
  { method: 'GET', path: '/api/results/:kind', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: resultsApi },
  { method: 'GET', path: '/api/whoami', access: 'user', scope: 'read', csrf: 'none', cache: 'private', rateLimit: null, handler: community.whoami },
  { method: 'GET', path: '/api/me/saved', access: 'user', scope: 'read', csrf: 'none', cache: 'private', rateLimit: null, handler: community.mySaved },
  { method: 'GET', path: '/api/for-you', access: 'user', scope: 'read', csrf: 'none', cache: 'private', rateLimit: null, handler: forYouApi },
  { method: 'GET', path: '/openapi.json', access: 'anyone', csrf: 'none', cache: 'public', rateLimit: null, handler: openApi },

  // Model Context Protocol, Streamable HTTP (api/mcp-http.ts): API tokens only, like /api/; stateless, so POST only.
  // Tools that write apply the `vote` and `submit` limits themselves (api/mcp-tools.ts), per call.
  { method: 'POST', path: '/mcp', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: mcpPost },
  { method: 'GET', path: '/mcp', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: mcpMethodNotAllowed },
  { method: 'DELETE', path: '/mcp', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: mcpMethodNotAllowed },

  // Feeds, RSS 2.0 (.xml) and Atom (.atom) (feeds/)
  { method: 'GET', path: '/feeds/daily.xml', access: 'anyone', csrf: 'none', cache: 'feed', rateLimit: null, handler: dailyFeed('rss') },
  { method: 'GET', path: '/feeds/daily.atom', access: 'anyone', csrf: 'none', cache: 'feed', rateLimit: null, handler: dailyFeed('atom') },
  { method: 'GET', path: '/feeds/trending.xml', access: 'anyone', csrf: 'none', cache: 'feed', rateLimit: null, handler: trendingFeed('rss') },
  { method: 'GET', path: '/feeds/trending.atom', access: 'anyone', csrf: 'none', cache: 'feed', rateLimit: null, handler: trendingFeed('atom') },
  { method: 'GET', path: '/feeds/search.xml', access: 'anyone', csrf: 'none', cache: 'feed', rateLimit: null, handler: searchFeed('rss') },
  { method: 'GET', path: '/feeds/search.atom', access: 'anyone', csrf: 'none', cache: 'feed', rateLimit: null, handler: searchFeed('atom') },
  { method: 'GET', path: '/feeds/results/:file', access: 'anyone', csrf: 'none', cache: 'feed', rateLimit: null, handler: resultsFeed },
  { method: 'GET', path: '/feeds/authors/:file', access: 'anyone', csrf: 'none', cache: 'feed', rateLimit: null, handler: authorFeed },
  { method: 'GET', path: '/feeds/orgs/:file', access: 'anyone', csrf: 'none', cache: 'feed', rateLimit: null, handler: orgFeed },
  // A reader's private feed: the token in the address is the authorisation; never a shared copy.
  { method: 'GET', path: '/feeds/for-you/:file', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: forYouFeed },

  // Assets, addressed by content hash (ui/assets/)
  { method: 'GET', path: siteCss.url, access: 'anyone', csrf: 'none', cache: 'asset', rateLimit: null, handler: asset(siteCss) },
  { method: 'GET', path: siteJs.url, access: 'anyone', csrf: 'none', cache: 'asset', rateLimit: null, handler: asset(siteJs) },
  { method: 'GET', path: favicon.url, access: 'anyone', csrf: 'none', cache: 'asset', rateLimit: null, handler: asset(favicon) },
  { method: 'GET', path: katexCss.url, access: 'anyone', csrf: 'none', cache: 'asset', rateLimit: null, handler: asset(katexCss) },
  { method: 'GET', path: `${KATEX_FONT_PREFIX}:file`, access: 'anyone', csrf: 'none', cache: 'asset', rateLimit: null, handler: katexFont },
  // Browsers ask for /favicon.ico on pages without a <link rel=icon> (e.g. a feed shown as XML).
  { method: 'GET', path: '/favicon.ico', access: 'anyone', csrf: 'none', cache: 'asset', rateLimit: null, handler: asset(favicon) },

  // Operations (health.ts): liveness never touches the database; readiness says what is wrong (503)
  { method: 'GET', path: '/healthz', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: health },
  { method: 'GET', path: '/readyz', access: 'anyone', csrf: 'none', cache: 'private', rateLimit: null, handler: ready },
  { method: 'GET', path: '/metrics', access: 'monitor', csrf: 'none', cache: 'private', rateLimit: null, handler: metrics },
];
