import { badRequest } from '../../lib/app-error.js';
import { addWeeks, weekRange } from '../../model/dates.js';
import { type Handler, handler } from '../route.js';
import { PageParams } from '../ui/components.js';
import { renderRange } from './range.js';

/** GET /papers/week/YYYY-Www */
export const weekPage: Handler = handler({ query: PageParams }, async (ctx) => {
  const week = ctx.params.week ?? '';
  const range = weekRange(week);
  if (!range) throw badRequest(`"${week}" is not an ISO week: use YYYY-Www, e.g. /papers/week/2025-W23.`, 'week');
  const [y, w] = week.split('-W');
  return renderRange(ctx, {
    range,
    label: `Week ${Number(w)}, ${y}`,
    path: `/papers/week/${week}`,
    prev: `/papers/week/${addWeeks(week, -1)}`,
    next: `/papers/week/${addWeeks(week, 1)}`,
    unit: 'week',
  });
});
