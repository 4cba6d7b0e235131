/**
 * OpenAPI 3.1 description of the community API (merged into the site's /openapi.json).
 */
const bearer = [{ bearerAuth: [] }];
const err = (description: string) => ({
  description,
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
});
const common = {
  '401': err('No token, or an unknown or revoked one.'),
  '403': err('The token lacks the right (read-only token, banned user, rule refused).'),
  '404': err('No such paper or comment.'),
  '429': err('Rate limited; see Retry-After.'),
};
const idParam = {
  name: 'id',
  in: 'path',
  required: true,
  description: 'arXiv id, e.g. 2501.01234',
  schema: { type: 'string' },
};
const commentBody = {
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['comment'],
        properties: { comment: { type: 'string', maxLength: 10000, description: 'Markdown' } },
      },
    },
  },
};
const arxivBody = {
  required: true,
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['arxivId'],
        properties: {
          arxivId: {
            type: 'string',
            description: 'Any accepted form: 2501.01234, arXiv:2501.01234v2, an arxiv.org link',
          },
        },
      },
    },
  },
};
const voteOk = {
  description: 'The new count',
  content: { 'application/json': { schema: { $ref: '#/components/schemas/Vote' } } },
};
const commentOk = {
  description: 'Created',
  content: {
    'application/json': {
      schema: { type: 'object', properties: { comment: { $ref: '#/components/schemas/Comment' } } },
    },
  },
};

export const COMMUNITY_OPENAPI_PATHS: Record<string, unknown> = {
  '/api/whoami': {
    get: {
      summary: 'The token’s user and scope',
      security: bearer,
      responses: {
        '200': {
          description: 'Who you are',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  username: { type: 'string' },
                  role: { type: 'string' },
                  scope: { type: 'string', enum: ['read', 'write'] },
                },
              },
            },
          },
        },
        '401': common['401'],
      },
    },
  },
  '/api/papers/{id}/upvote': {
    post: {
      summary: 'Upvote a paper (idempotent)',
      security: bearer,
      parameters: [idParam],
      responses: { '200': voteOk, ...common },
    },
    delete: {
      summary: 'Remove your upvote (idempotent)',
      security: bearer,
      parameters: [idParam],
      responses: { '200': voteOk, ...common },
    },
  },
  '/api/papers/{id}/comment': {
    post: {
      summary: 'Comment on a paper (Hugging Face compatible)',
      security: bearer,
      parameters: [idParam],
      requestBody: commentBody,
      responses: { '201': commentOk, '400': err('Empty or too long.'), ...common },
    },
  },
  '/api/papers/{id}/comment/{commentId}/reply': {
    post: {
      summary: 'Reply to a comment (Hugging Face compatible)',
      security: bearer,
      parameters: [idParam, { name: 'commentId', in: 'path', required: true, schema: { type: 'string' } }],
      requestBody: commentBody,
      responses: { '201': commentOk, '400': err('Empty or too long.'), ...common },
    },
  },
  '/api/papers/index': {
    post: {
      summary: 'Index a paper from arXiv (Hugging Face compatible)',
      security: bearer,
      requestBody: arxivBody,
      responses: {
        '200': { description: 'Already indexed' },
        '201': { description: 'Indexed now' },
        '400': err('Not an arXiv id.'),
        ...common,
      },
    },
  },
  '/api/daily_papers': {
    post: {
      summary: 'Submit a paper to today’s Daily Papers',
      security: bearer,
      requestBody: arxivBody,
      responses: {
        '201': {
          description: 'Submitted',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: { arxivId: { type: 'string' }, day: { type: 'string' }, url: { type: 'string' } },
              },
            },
          },
        },
        '400': err('Not an arXiv id.'),
        '409': err('Already on Daily Papers; `url` links to it.'),
        ...common,
      },
    },
  },
  '/api/me/saved': {
    get: {
      summary: 'Your reading list (JSON, or BibTeX with format=bibtex)',
      security: bearer,
      parameters: [{ name: 'format', in: 'query', schema: { type: 'string', enum: ['json', 'bibtex'] } }],
      responses: { '200': { description: 'The list' }, '401': common['401'] },
    },
  },
};

export const COMMUNITY_OPENAPI_COMPONENTS = {
  securitySchemes: {
    bearerAuth: {
      type: 'http',
      scheme: 'bearer',
      description: 'A personal access token from Settings or `paperboy token create`.',
    },
  },
  schemas: {
    Error: { type: 'object', required: ['error'], properties: { error: { type: 'string' }, url: { type: 'string' } } },
    Vote: {
      type: 'object',
      properties: {
        paperId: { type: 'string' },
        upvotes: { type: 'integer' },
        authorUpvotes: { type: 'integer' },
        voted: { type: 'boolean' },
        changed: { type: 'boolean' },
      },
    },
    Comment: {
      type: 'object',
      properties: {
        id: { type: 'string' },
        parentId: { type: ['string', 'null'] },
        html: { type: 'string' },
        createdAt: { type: 'string' },
        author: { type: 'string' },
      },
    },
  },
};
