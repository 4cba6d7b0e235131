import { handler, json } from '../route.js';
import { COMMUNITY_OPENAPI_COMPONENTS, COMMUNITY_OPENAPI_PATHS } from './community-openapi.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from './daily-papers.js';
import { LIST_DEFAULT_LIMIT, LIST_MAX_LIMIT, SEARCH_DEFAULT_LIMIT, SEARCH_MAX_LIMIT, SEARCH_MODES } from './papers.js';

const str = { type: 'string' };
const strOrNull = { type: ['string', 'null'] };
const int = { type: 'integer' };
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
      description:
        "Compatible with Hugging Face's papers API: same paths, parameters, field names and nesting. `DailyItem.publishedAt` is when the paper was featured on Daily Papers; `Paper.publishedAt` is when arXiv published it.",
    },
    servers: [{ url: baseUrl }],
    paths: {
      '/api/daily_papers': {
        get: {
          summary: 'Daily Papers for a day, week or month (default: the latest day)',
          parameters: [
            query('date', 'A day, YYYY-MM-DD', { type: 'string', format: 'date' }),
            query('week', 'An ISO week, YYYY-Www', { type: 'string', pattern: '^\\d{4}-W\\d{2}$' }),
            query('month', 'A month, YYYY-MM', { type: 'string', pattern: '^\\d{4}-\\d{2}$' }),
            query('submitter', 'Only entries submitted by this user name'),
            query('sort', 'publishedAt (newest featured first) or trending; default: upvotes', {
              type: 'string',
              enum: ['publishedAt', 'trending'],
            }),
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
          summary: 'Search papers',
          parameters: [
            query('q', 'Query', str, true),
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
            200: { description: 'The paper', content: { 'application/json': { schema: ref('Paper') } } },
            400: error400,
            404: error400,
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
            publishedAt: { ...strOrNull, description: 'When arXiv published the paper' },
            submittedOnDailyAt: str,
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
            withdrawnAt: str,
          },
        },
        DailyItem: {
          type: 'object',
          required: ['paper', 'publishedAt', 'title', 'summary', 'numComments'],
          properties: {
            paper: ref('Paper'),
            publishedAt: { ...strOrNull, description: 'When the paper was featured on Daily Papers (else published)' },
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
