import { badRequest } from '../../lib/app-error.js';
import { addMonths, monthName, monthRange } from '../../model/dates.js';
import { type Handler, handler } from '../route.js';
import { PageParams } from '../ui/components.js';
import { renderRange } from './range.js';

/** GET /papers/month/YYYY-MM */
export const monthPage: Handler = handler({ query: PageParams }, async (ctx) => {
  const month = ctx.params.month ?? '';
  const range = monthRange(month);
  if (!range) throw badRequest(`"${month}" is not a month: use YYYY-MM, e.g. /papers/month/2025-06.`, 'month');
  return renderRange(ctx, {
    range,
    label: monthName(month),
    path: `/papers/month/${month}`,
    prev: `/papers/month/${addMonths(month, -1)}`,
    next: `/papers/month/${addMonths(month, 1)}`,
    unit: 'month',
  });
});
