import { z } from 'zod';
import { AppError } from '../../lib/app-error.js';
import { flag } from '../../services/moderation.js';
import { submitPaper } from '../../services/submissions.js';
import { idParam, text } from '../params.js';
import { STATUS } from '../respond.js';
import { handler, redirect } from '../route.js';
import { notice } from '../ui/account-forms.js';
import { submitForm } from '../ui/community-views.js';
import { communityPage } from '../ui/layout.js';

/** Submitting a paper to today's Daily Papers, and flagging a submission. */

export const submitPage = handler({}, async (c) => communityPage(c, 'Submit', submitForm(c.csrf)));

export const submit = handler({ body: z.object({ arxivId: text() }) }, async (c) => {
  const input = c.body.arxivId ?? '';
  try {
    const r = await submitPaper(c.app, c.actor, input);
    return redirect(r.link, 303);
  } catch (err) {
    if (!(err instanceof AppError) || err.code === 'rate_limited') throw err;
    return communityPage(c, 'Submit', submitForm(c.csrf, input), {
      status: STATUS[err.code],
      flash: { kind: 'error', text: err.message, link: err.extra.link },
    });
  }
});

export const flagSubmission = handler({ body: z.object({ reason: text() }) }, async (c) => {
  await flag(c.app, c.actor, {
    targetType: 'submission',
    targetId: idParam(c.params.sid),
    reason: c.body.reason ?? '',
  });
  return communityPage(c, 'Flagged', notice('Thanks', 'Moderators will look at it.'));
});
