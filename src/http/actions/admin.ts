import {
  adminCancelJob,
  adminRebuildSearch,
  adminResendMail,
  adminRetryJob,
  type Origin,
} from '../../services/admin.js';
import { idParam } from '../params.js';
import { type Ctx, handler, redirect } from '../route.js';
import { refererPath } from '../server.js';

/** The admin console's actions; each one is written to the audit log by its service. */
export function origin(c: Ctx<unknown, unknown>): Origin {
  return { ip: c.ip, requestId: String(c.req.id) };
}

/** Back to the list the admin acted from (its filters kept), or to the section. */
const back = (c: Ctx<unknown, unknown>, fallback: string) => {
  const from = refererPath(c.req);
  return redirect(from?.startsWith('/admin') ? from : fallback, 303);
};

export const retryJobAction = handler({}, async (c) => {
  await adminRetryJob(c.app, c.actor, idParam(c.params.jobId), origin(c));
  return back(c, '/admin/jobs');
});

export const cancelJobAction = handler({}, async (c) => {
  await adminCancelJob(c.app, c.actor, idParam(c.params.jobId), origin(c));
  return back(c, '/admin/jobs');
});

export const resendMailAction = handler({}, async (c) => {
  await adminResendMail(c.app, c.actor, idParam(c.params.outboxId), origin(c));
  return back(c, '/admin/mail');
});

export const rebuildSearchAction = handler({}, async (c) => {
  await adminRebuildSearch(c.app, c.actor, origin(c));
  return redirect('/admin/search', 303);
});
