import { z } from 'zod';
import { badRequest } from '../../lib/app-error.js';
import { auditLog, importOverview, mailOverview, opsOverview, usersOverview } from '../../services/admin.js';
import { isJobState, jobTypes, listJobsForAdmin } from '../../services/jobs.js';
import { checkReadiness } from '../../services/readiness.js';
import { searchIndexInfo } from '../../services/search.js';
import { text } from '../params.js';
import { handler } from '../route.js';
import {
  adminPage,
  auditView,
  importsView,
  jobsView,
  mailView,
  overviewView,
  searchView,
  usersView,
} from '../ui/admin-views.js';

/**
 * The admin console's pages (admins only, per the route table; the services check again). Every
 * page is the site's own layout with the console's navigation on top; actions are in
 * actions/admin.ts and write the audit log.
 */
export const overviewPage = handler({}, async (c) => {
  const [readiness, jobs, ops] = await Promise.all([
    checkReadiness(c.app),
    listJobsForAdmin(c.app, { limit: 1 }),
    opsOverview(c.app, c.actor),
  ]);
  return adminPage(c, '/admin', 'Admin', overviewView(readiness, jobs.counts, ops.workers, ops.backups));
});

export const jobsPage = handler({ query: z.object({ state: text(), type: text() }) }, async (c) => {
  const state = c.query.state || undefined;
  const type = c.query.type || undefined;
  if (state !== undefined && !isJobState(state)) throw badRequest(`Unknown job state "${state}".`, 'state');
  const types = jobTypes();
  if (type !== undefined && !types.includes(type)) throw badRequest(`Unknown job type "${type}".`, 'type');
  const { jobs, counts } = await listJobsForAdmin(c.app, { state, type, limit: 100 });
  return adminPage(c, '/admin/jobs', 'Jobs', jobsView(c.csrf, jobs, counts, { state, type }, types));
});

export const mailPage = handler({}, async (c) =>
  adminPage(c, '/admin/mail', 'Mail', mailView(c.csrf, await mailOverview(c.app, c.actor))),
);

export const importsPage = handler({}, async (c) =>
  adminPage(c, '/admin/imports', 'Imports', importsView(await importOverview(c.app, c.actor))),
);

export const searchAdminPage = handler({}, async (c) => {
  const s = c.app.search;
  // Only a loaded index is described: asking an unloaded one would build it on this request.
  const info = s.loadedAt ? await searchIndexInfo(c.app) : null;
  return adminPage(
    c,
    '/admin/search',
    'Search index',
    searchView(c.csrf, {
      loadedAt: s.loadedAt,
      building: s.engine !== null && s.loadedAt === null,
      lastError: s.lastError,
      keywordSearch: c.app.config.keywordSearch,
      info: info ? { ...info } : null,
      now: c.now,
    }),
  );
});

export const usersPage = handler({ query: z.object({ q: text() }) }, async (c) => {
  const q = (c.query.q ?? '').trim().slice(0, 100);
  return adminPage(c, '/admin/users', 'Users', usersView(c.csrf, await usersOverview(c.app, c.actor, q), q));
});

export const auditPage = handler({}, async (c) =>
  adminPage(c, '/admin/audit', 'Audit log', auditView(await auditLog(c.app, c.actor))),
);
