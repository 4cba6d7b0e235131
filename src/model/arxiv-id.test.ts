import { describe, expect, it } from 'vitest';
import { parseArxivId } from './arxiv-id.js';

describe('parseArxivId', () => {
  const cases: Array<[string, string | null, number | null]> = [
    ['2501.01234', '2501.01234', null],
    ['2501.01234v2', '2501.01234', 2],
    ['arXiv:2501.01234', '2501.01234', null],
    ['arxiv:2501.01234v10', '2501.01234', 10],
    ['  2501.01234  ', '2501.01234', null],
    ['https://arxiv.org/abs/2501.01234', '2501.01234', null],
    ['https://arxiv.org/abs/2501.01234v3', '2501.01234', 3],
    ['http://arxiv.org/pdf/2501.01234v1', '2501.01234', 1],
    ['https://arxiv.org/pdf/2501.01234.pdf', '2501.01234', null],
    ['https://arxiv.org/pdf/2501.01234v2.pdf', '2501.01234', 2],
    ['arxiv.org/abs/2501.01234?context=cs', '2501.01234', null],
    ['https://export.arxiv.org/abs/2501.01234/', '2501.01234', null],
    ['0704.0001', '0704.0001', null],
    ['1412.9999v1', '1412.9999', 1],
    ['hep-th/9504118', 'hep-th/9504118', null],
    ['arXiv:hep-th/9504118v2', 'hep-th/9504118', 2],
    ['https://arxiv.org/abs/hep-th/9504118', 'hep-th/9504118', null],
    ['astro-ph/0601001', 'astro-ph/0601001', null],
    ['quant-ph/0201082v1', 'quant-ph/0201082', 1],
    ['math.GT/0309136', 'math/0309136', null],
    ['abc', null, null],
    ['', null, null],
    ['2501.1234', null, null], // four digits after 2015
    ['1412.01234', null, null], // five digits before 2015
    ['2513.01234', null, null], // month 13
    ['2501.01234v', null, null],
    ['hep-th/950411', null, null],
    ['https://example.com/abs/2501.01234', null, null],
    ['2501.01234; DROP TABLE papers', null, null],
    ['x'.repeat(5000), null, null],
  ];
  it.each(cases)('%s → %s v%s', (input, id, version) => {
    const got = parseArxivId(input);
    if (id === null) expect(got).toBeNull();
    else expect(got).toEqual({ id, version });
  });
});
