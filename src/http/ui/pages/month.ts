import { addMonths, monthName, monthRange } from '../../../model/dates.js';
import { badRequest } from '../../errors.js';
import type { PageHandler } from '../page.js';
import { renderRange } from './range.js';

/** GET /papers/month/YYYY-MM */
export const monthPage: PageHandler = async (ctx) => {
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
};
