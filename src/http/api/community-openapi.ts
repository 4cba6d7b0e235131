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

const commentIdParam = {
  name: 'commentId',
  in: 'path',
  required: true,
  description: 'A comment id, as the posting endpoints and the listing return it',
  schema: { type: 'string' },
};
const pageParams = [
  {
    name: 'p',
    in: 'query',
    description: 'Page of top-level threads, from 0',
    schema: { type: 'integer', minimum: 0, default: 0 },
  },
  {
    name: 'limit',
    in: 'query',
    description: 'Top-level threads per page',
    schema: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
  },
];

export const COMMUNITY_OPENAPI_PATHS: Record<string, unknown> = {
  '/api/papers/{id}/comments': {
    get: {
      summary: "A paper's discussion: top-level threads oldest first, each with all its replies",
      description:
        'The same for every reader (a token is optional and changes nothing): hidden comments are listed with state "hidden" and their reason but never their text; deleted ones stay as placeholders while they have replies.',
      parameters: [idParam, ...pageParams],
      responses: {
        '200': {
          description: 'A page of threads',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['paperId', 'numComments', 'threadCount', 'p', 'limit', 'comments'],
                properties: {
                  paperId: { type: 'string' },
                  numComments: { type: 'integer', description: 'Visible comments on the paper' },
                  threadCount: { type: 'integer', description: 'Top-level threads in all' },
                  p: { type: 'integer' },
                  limit: { type: 'integer' },
                  comments: { type: 'array', items: { $ref: '#/components/schemas/ThreadComment' } },
                },
              },
            },
          },
        },
        '400': err('An invalid p or limit; the body names it.'),
        '404': err('No such paper.'),
      },
    },
  },
  '/api/papers/{id}/comment/{commentId}': {
    patch: {
      summary: 'Edit your own comment (the previous text is kept in its history)',
      security: bearer,
      parameters: [idParam, commentIdParam],
      requestBody: commentBody,
      responses: {
        '200': {
          description: 'The comment as it is now',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { comment: { $ref: '#/components/schemas/ThreadComment' } } },
            },
          },
        },
        '400': err('Empty or too long; the body names `comment`.'),
        ...common,
      },
    },
    delete: {
      summary: 'Delete your own comment (moderators: any); its replies stay, under a placeholder',
      security: bearer,
      parameters: [idParam, commentIdParam],
      responses: {
        '200': {
          description: 'Deleted',
          content: {
            'application/json': {
              schema: { type: 'object', properties: { id: { type: 'string' }, deleted: { type: 'boolean' } } },
            },
          },
        },
        ...common,
      },
    },
  },
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
  '/api/for-you': {
    get: {
      summary: 'Your recommendations (token scope read), each with why',
      description:
        'The papers of the day or the week ranked for you from your upvotes, saves, claims, follows, seeds and "not interested". With too few signals, `fallback` is true and the list is trending; `note` says so.',
      security: bearer,
      parameters: [
        { name: 'period', in: 'query', schema: { type: 'string', enum: ['day', 'week'], default: 'week' } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 100, default: 30 } },
      ],
      responses: {
        '200': {
          description: 'The recommendations',
          content: {
            'application/json': {
              schema: {
                type: 'object',
                properties: {
                  period: { type: 'string', enum: ['day', 'week'] },
                  fallback: { type: 'boolean' },
                  note: { type: 'string', nullable: true },
                  papers: {
                    type: 'array',
                    items: {
                      type: 'object',
                      properties: {
                        id: { type: 'string' },
                        title: { type: 'string' },
                        authors: { type: 'array', items: { type: 'string' } },
                        publishedAt: { type: 'string', nullable: true },
                        upvotes: { type: 'integer' },
                        score: { type: 'number' },
                        why: { type: 'string' },
                      },
                    },
                  },
                },
              },
            },
          },
        },
        '400': { description: 'A bad period or limit (the error names it)' },
        '401': common['401'],
      },
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
    ThreadComment: {
      type: 'object',
      required: [
        'id',
        'parentId',
        'author',
        'state',
        'hiddenReason',
        'markdown',
        'html',
        'createdAt',
        'editedAt',
        'replies',
      ],
      properties: {
        id: { type: 'string' },
        parentId: { type: ['string', 'null'] },
        author: { type: ['string', 'null'], description: 'User name; null once deleted' },
        state: { type: 'string', enum: ['visible', 'hidden', 'deleted'] },
        hiddenReason: {
          type: ['string', 'null'],
          description: 'spam, abuse, off-topic, resolved, low-quality, or banned (the author was)',
        },
        markdown: { type: ['string', 'null'], description: 'As written; null unless visible' },
        html: { type: ['string', 'null'], description: 'Sanitised rendering; null unless visible' },
        createdAt: { type: 'string', format: 'date-time' },
        editedAt: { type: ['string', 'null'], format: 'date-time' },
        replies: { type: 'array', items: { $ref: '#/components/schemas/ThreadComment' } },
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
