import { FACT_KINDS } from '../../facts/fact.js';
import { BARE_UNIT_PARAM, RANKING_PERIODS, RANKING_TERM_MAX_CHARS } from '../../model/result-ranking.js';
import { handler, json } from '../route.js';
import { PAGE_SIZE } from '../ui/components.js';
import { COMMUNITY_OPENAPI_COMPONENTS, COMMUNITY_OPENAPI_PATHS } from './community-openapi.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './daily-papers.js';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT, SEARCH_MODES } from './papers.js';

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const int = { type: 'integer' };
/** Every timestamp: UTC with milliseconds, what huggingface_hub's parse_datetime requires. */
const TIMESTAMP_PATTERN = '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$';
const time = { type: 'string', format: 'date-time', pattern: TIMESTAMP_PATTERN };
const timeOrNull = { type: ['string', 'null'], format: 'date-time', pattern: TIMESTAMP_PATTERN };
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const query = (name: string, description: string, schema: object = str, required = false) => ({
  name,
  in: 'query',
  required,
  description,
  schema,
});
const error400 = {
  description: 'An invalid parameter; the body names it.',
  content: { 'application/json': { schema: ref('Error') } },
};
const items = {
  description: 'Daily items',
  content: { 'application/json': { schema: { type: 'array', items: ref('DailyItem') } } },
};

/** GET /openapi.json — the JSON API described in OpenAPI 3.1. */
function siteOpenApiDocument(baseUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'paperboy API',
      version: '1',
      description: [
        "Compatible with Hugging Face's papers API: same paths, parameters, field names and nesting, so huggingface_hub's list_papers, paper_info, read_paper and list_daily_papers work by changing the endpoint.",
        '`DailyItem.publishedAt` is when the paper was featured on Daily Papers; `Paper.publishedAt` is when arXiv published it.',
        'Every timestamp is `YYYY-MM-DDTHH:MM:SS.sssZ` (UTC, milliseconds), the one form huggingface_hub parses.',
        'Values imported from Hugging Face (githubRepo, projectPage, discussionId, ai_summary …) are returned as recorded.',
        'Agents: the same data as Model Context Protocol tools at `POST /mcp` (Streamable HTTP, JSON-RPC; see the README).',
      ].join(' '),
    },
    servers: [{ url: baseUrl }],
    paths: {
      '/api/daily_papers': {
        get: {
          summary: 'Daily Papers: one day, a week, a month, or every day (the default)',
          description: [
            'Without date, week or month: every day, newest featured first (most recently submitted), paged by p and limit.',
            'With a date, week or month: that range, most upvoted first.',
            "A week runs from the Friday before its ISO Monday to its Sunday, as on Hugging Face (weekend submissions belong to the next week; consecutive weeks share Friday to Sunday); a month from the previous month's last day to its own last day.",
            'sort=publishedAt: newest featured first; sort=trending: the entries of the trending window (7 days before the range end, or before now) by trending score, then older ones newest first. submitter and sort apply to any range, every day included.',
          ].join(' '),
          parameters: [
            query('date', 'A day, YYYY-MM-DD', { type: 'string', format: 'date' }),
            query('week', "An ISO week, YYYY-Www: from the previous week's Friday to this week's Sunday", {
              type: 'string',
              pattern: '^\\d{4}-W\\d{2}$',
            }),
            query('month', "A month, YYYY-MM: from the previous month's last day to this month's last day", {
              type: 'string',
              pattern: '^\\d{4}-\\d{2}$',
            }),
            query('submitter', 'Only entries submitted by this user name (every day when no range is given)'),
            query(
              'sort',
              'publishedAt (newest featured first) or trending; default: newest (every day) or upvotes (a range)',
              {
                type: 'string',
                enum: ['publishedAt', 'trending'],
              },
            ),
            query('p', 'Page number from 0', { type: 'integer', minimum: 0, default: 0 }),
            query('limit', 'Items per page', {
              type: 'integer',
              minimum: 1,
              maximum: MAX_LIMIT,
              default: DEFAULT_LIMIT,
            }),
          ],
          responses: { 200: items, 400: error400 },
        },
      },
      '/api/papers': {
        get: {
          summary: 'Every paper, newest first; the next page is in the Link header (rel="next")',
          parameters: [
            query('cursor', 'Opaque cursor from a Link header'),
            query('limit', 'Items per page', {
              type: 'integer',
              minimum: 1,
              maximum: LIST_MAX_LIMIT,
              default: LIST_DEFAULT_LIMIT,
            }),
          ],
          responses: { 200: items, 400: error400 },
        },
      },
      '/api/papers/search': {
        get: {
          summary: 'Search papers; without q, the newest papers',
          parameters: [
            query(
              'q',
              'Query in the query language (words, "phrases", -excluded, author:, cat:, org:, after:, before:, has:code). Absent or blank: the newest papers by publication date',
            ),
            query('limit', 'Results', {
              type: 'integer',
              minimum: 1,
              maximum: SEARCH_MAX_LIMIT,
              default: SEARCH_DEFAULT_LIMIT,
            }),
            query('mode', 'Ranking: hybrid (default), keyword or semantic', {
              type: 'string',
              enum: [...SEARCH_MODES],
              default: 'hybrid',
            }),
          ],
          responses: { 200: items, 400: error400 },
        },
      },
      '/api/papers/{id}': {
        get: {
          summary: 'One paper by arXiv id (any accepted form)',
          parameters: [{ name: 'id', in: 'path', required: true, schema: str }],
          responses: {
            200: {
              description: 'The paper, with numComments',
              content: {
                'application/json': {
                  schema: { allOf: [ref('Paper'), { type: 'object', properties: { numComments: int } }] },
                },
              },
            },
            404: {
              description: 'No such paper: any id that names none here, well-formed or not',
              content: { 'application/json': { schema: ref('Error') } },
            },
          },
        },
      },
      '/api/results/{kind}': {
        get: {
          summary: "A result ranking: papers by the number their abstract claims (paperboy's addition)",
          description: [
            'The same rows as the page /results/{kind}: each paper once, by its largest claim of this kind (a range by its upper end), largest first, ties newest first.',
            'Numbers are ranked within one unit: `unit` picks it, else the unit most papers use; `units` lists the others.',
            'Also as feeds: /feeds/results/{kind}.xml (RSS) and .atom, with the same query.',
          ].join(' '),
          parameters: [
            { name: 'kind', in: 'path', required: true, schema: { type: 'string', enum: [...FACT_KINDS] } },
            query('metric', 'Case-insensitive words of the metric, e.g. decoding, KV cache', {
              type: 'string',
              maxLength: RANKING_TERM_MAX_CHARS,
            }),
            query('setting', 'Case-insensitive words of the setting (benchmark, data set, hardware), e.g. MMLU, GPU', {
              type: 'string',
              maxLength: RANKING_TERM_MAX_CHARS,
            }),
            query(
              'unit',
              `x, %, pp, points, ${BARE_UNIT_PARAM} (a bare score) or a unit word; default: the most common`,
            ),
            query('period', 'Papers published in the last week, month (30 days), year, or all', {
              type: 'string',
              enum: RANKING_PERIODS,
              default: 'all',
            }),
            query('page', `Page number from 1 (${PAGE_SIZE} rows a page)`, { type: 'integer', minimum: 1, default: 1 }),
          ],
          responses: {
            200: {
              description: 'One page of the ranking',
              content: { 'application/json': { schema: ref('ResultRanking') } },
            },
            400: error400,
            404: {
              description: 'No such kind, or a page past the end',
              content: { 'application/json': { schema: ref('Error') } },
            },
          },
        },
      },
      '/papers/{id}.md': {
        get: {
          summary: 'One paper as Markdown (also GET /papers/{id} with Accept: text/markdown)',
          description:
            'Title, authors, arXiv and PDF links, dates, categories, Daily Papers day and submitter, organisation, upvotes, code and stars, project page, discussion size, abstract, AI summary and keywords, results. Any accepted id form, without a redirect.',
          parameters: [
            { name: 'id', in: 'path', required: true, schema: str, description: 'arXiv id, e.g. 2501.01234' },
          ],
          responses: {
            200: { description: 'The paper', content: { 'text/markdown': { schema: str } } },
            404: { description: 'No such paper' },
          },
        },
      },
    },
    components: {
      schemas: {
        Error: { type: 'object', required: ['error'], properties: { error: str, parameter: str } },
        Organization: {
          type: 'object',
          required: ['_id', 'name', 'fullname'],
          properties: { _id: str, name: str, fullname: str, avatar: str },
        },
        User: {
          type: 'object',
          properties: { _id: str, name: str, user: str, fullname: str, avatarUrl: strOrNull, type: str },
        },
        Author: {
          type: 'object',
          required: ['_id', 'name', 'hidden'],
          properties: { _id: str, name: str, hidden: { type: 'boolean' } },
        },
        Paper: {
          type: 'object',
          required: ['id', 'authors', 'publishedAt', 'title', 'summary', 'upvotes'],
          properties: {
            id: str,
            authors: { type: 'array', items: ref('Author') },
            publishedAt: { ...timeOrNull, description: 'When arXiv published the paper' },
            submittedOnDailyAt: { ...time, description: 'When the paper was featured on Daily Papers' },
            submittedOnDailyBy: ref('User'),
            title: str,
            summary: str,
            upvotes: int,
            discussionId: str,
            githubRepo: str,
            githubStars: int,
            projectPage: str,
            organization: ref('Organization'),
            ai_summary: str,
            ai_keywords: { type: 'array', items: str },
            withdrawnAt: time,
            facts: {
              type: 'array',
              items: ref('ResultFact'),
              description: "paperboy's addition (not in Hugging Face's API): the abstract's result facts, [] when none",
            },
          },
        },
        ResultFact: {
          type: 'object',
          description: "A quantitative claim of the abstract about the paper's own results (issue #18)",
          required: ['span', 'value', 'value_max', 'unit', 'kind', 'metric', 'setting', 'baseline'],
          properties: {
            span: { ...str, description: 'The exact words of the abstract holding the number' },
            value: { type: 'number' },
            value_max: { type: ['number', 'null'], description: 'Upper end of a range, else null' },
            unit: { ...str, description: 'x, %, pp, points, "" (a bare score) or a unit in lower case' },
            kind: { type: 'string', enum: ['speedup', 'reduction', 'improvement', 'score', 'scale'] },
            metric: strOrNull,
            setting: strOrNull,
            baseline: strOrNull,
          },
        },
        ResultRanking: {
          type: 'object',
          required: [
            'title',
            'kind',
            'metric',
            'setting',
            'period',
            'unit',
            'units',
            'total',
            'page',
            'pageSize',
            'items',
          ],
          properties: {
            title: { ...str, description: 'e.g. "Largest claimed decoding speedups this month", "MMLU scores"' },
            kind: str,
            metric: strOrNull,
            setting: strOrNull,
            period: str,
            since: { type: ['string', 'null'], format: 'date', description: "The window's first day (null: all time)" },
            asOf: { type: ['string', 'null'], format: 'date', description: "The window's last day" },
            unit: {
              ...strOrNull,
              description: `The unit ranked (${BARE_UNIT_PARAM}: bare scores); null when nothing matches`,
            },
            units: {
              type: 'array',
              items: { type: 'object', properties: { unit: str, papers: int } },
              description: 'Every unit the matching claims use, with their paper counts, most first',
            },
            total: { ...int, description: 'Papers in the ranking' },
            page: int,
            pageSize: int,
            items: {
              type: 'array',
              items: {
                type: 'object',
                required: ['rank', 'value', 'fact', 'paper'],
                properties: {
                  rank: int,
                  value: { type: 'number', description: 'The number ranked: a range by its upper end' },
                  fact: ref('ResultFact'),
                  paper: {
                    type: 'object',
                    properties: {
                      id: str,
                      title: str,
                      publishedAt: timeOrNull,
                      authors: { type: 'array', items: str },
                      organization: strOrNull,
                      upvotes: int,
                      url: str,
                    },
                  },
                },
              },
            },
          },
        },
        DailyItem: {
          type: 'object',
          required: ['paper', 'publishedAt', 'title', 'summary', 'numComments'],
          properties: {
            paper: ref('Paper'),
            publishedAt: { ...timeOrNull, description: 'When the paper was featured on Daily Papers (else published)' },
            title: str,
            summary: str,
            thumbnail: strOrNull,
            mediaUrls: { type: 'array', items: str },
            numComments: int,
            submittedBy: ref('User'),
            organization: ref('Organization'),
            isAuthorParticipating: { type: 'boolean' },
          },
        },
      },
    },
  };
}

/** The site's read API merged with the community's write API (api/community-openapi.ts): one document. */
export function openApiDocument(baseUrl: string) {
  const doc = siteOpenApiDocument(baseUrl) as ReturnType<typeof siteOpenApiDocument> & {
    paths: Record<string, object>;
    // biome-ignore lint/suspicious/noExplicitAny: OpenAPI component objects are free-form JSON
    components: Record<string, any>;
  };
  for (const [path, methods] of Object.entries(COMMUNITY_OPENAPI_PATHS))
    doc.paths[path] = { ...(doc.paths[path] ?? {}), ...(methods as object) };
  const schemas = { ...COMMUNITY_OPENAPI_COMPONENTS.schemas, ...doc.components.schemas };
  // biome-ignore lint/suspicious/noExplicitAny: OpenAPI component objects are free-form JSON
  (schemas as Record<string, any>).Error = {
    ...schemas.Error,
    properties: {
      ...schemas.Error.properties,
      url: { type: 'string', description: 'Where the existing entry is (409)' },
    },
  };
  doc.components = { ...doc.components, schemas, securitySchemes: COMMUNITY_OPENAPI_COMPONENTS.securitySchemes };
  return doc;
}

/** GET /openapi.json */
export const openApi = handler({}, async (c) => json(openApiDocument(c.app.config.baseUrl)));
