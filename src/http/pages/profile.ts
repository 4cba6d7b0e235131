import { profile } from '../../services/profiles.js';
import { handler } from '../route.js';
import { profileView } from '../ui/community-views.js';
import { communityPage } from '../ui/layout.js';

/** GET /users/:username — a member's papers, upvotes (when public) and organisations. */
export const profilePage = handler({}, async (c) => {
  const v = await profile(c.app, c.actor, c.params.username ?? '');
  return communityPage(c, v.username, profileView(v, c.actor, c.csrf));
});
