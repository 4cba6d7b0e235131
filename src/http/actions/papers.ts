import { z } from 'zod';
import { claimAuthorship } from '../../services/claims.js';
import { postComment } from '../../services/comments.js';
import { setSaved } from '../../services/reading-list.js';
import { setVote } from '../../services/votes.js';
import { paperOr404 } from '../find-paper.js';
import { idParam, text } from '../params.js';
import { handler, json, redirect } from '../route.js';
import { refererPath } from '../server.js';
import { notice } from '../ui/account-forms.js';
import { paperPath } from '../ui/card.js';
import { communityPage } from '../ui/layout.js';

/**
 * What a reader does to a paper: upvote, save, comment, claim authorship. Upvote and save answer
 * JSON to scripts (Accept: application/json: site.js updates the count in place) and redirect
 * browsers back to the page they came from.
 */

/** POST /papers/:paper/upvote — `up=0` takes the vote back. */
export const upvote = handler({ body: z.object({ up: text() }) }, async (c) => {
  const p = await paperOr404(c.app, c.params.paper);
  const up = c.body.up !== '0';
  const r = await setVote(c.app, c.actor, p.id, up);
  if (c.wantsJson) return json({ upvotes: r.upvotes, authorUpvotes: r.authorUpvotes, voted: up });
  return redirect(refererPath(c.req) ?? paperPath(p.arxiv_id), 303);
});

/** POST /papers/:paper/save — `saved=0` removes it from the reading list. */
export const save = handler({ body: z.object({ saved: text() }) }, async (c) => {
  const p = await paperOr404(c.app, c.params.paper);
  const saved = c.body.saved !== '0';
  await setSaved(c.app, c.actor, p.id, saved);
  if (c.wantsJson) return json({ saved });
  return redirect(paperPath(p.arxiv_id), 303);
});

/** POST /papers/:paper/comments — a comment, or a reply with `parent_id`. */
export const comment = handler({ body: z.object({ comment: text(), parent_id: text() }) }, async (c) => {
  const p = await paperOr404(c.app, c.params.paper);
  const made = await postComment(c.app, c.actor, {
    paperId: p.id,
    parentId: c.body.parent_id ? idParam(c.body.parent_id) : null,
    body: c.body.comment ?? '',
  });
  return redirect(`${paperPath(p.arxiv_id)}#comment-${made.id}`, 303);
});

/** POST /papers/:paper/claim — "I am author number `position`"; an admin decides. */
export const claim = handler({ body: z.object({ position: text() }) }, async (c) => {
  const p = await paperOr404(c.app, c.params.paper);
  await claimAuthorship(c.app, c.actor, p.id, idParam(c.body.position));
  return communityPage(
    c,
    'Claim sent',
    notice('Claim sent', 'An admin will review it.', { href: paperPath(p.arxiv_id), label: 'Back to the paper' }),
  );
});
