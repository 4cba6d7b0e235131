/**
 * Hugging Face's official Python client's papers methods, ported line by line to TypeScript so the
 * suite can hold paperboy to what that client sends and how it parses each field. The client is
 * not on the npm registry (and PyPI is out of reach here), so this port is the conformance test's
 * stand-in; every rule below cites the file it was read from. Sources, repository
 * huggingface/huggingface_hub:
 *
 * [hf_api] src/huggingface_hub/hf_api.py at 1fb0107bb68bae38c8f55cc6055dad11cbcb9e83:
 *   - `list_papers(query=None)`: GET {endpoint}/api/papers/search, params `{"q": query}` only when
 *     the query is truthy; `hf_raise_for_status(r)`; `yield PaperInfo(**paper)` for each item.
 *   - `paper_info(id)`: GET {endpoint}/api/papers/{id}; `hf_raise_for_status(r)` (documented:
 *     "HTTP 404 If the paper does not exist on the Hub"); `PaperInfo(**r.json())`.
 *   - `class PaperInfo.__init__(**kwargs)`, quoted in `paperInfo` below.
 *   - `class User.__init__(**kwargs)`: username = pop("user", ""), fullname = pop("fullname", ""),
 *     avatar_url = pop("avatarUrl", ""), user_type = pop("type", None), the rest kept as attributes.
 * [datetime] src/huggingface_hub/utils/_datetime.py at fb4e5aa20370a55ea01d89c9f345dee90cac7948:
 *   `parse_datetime(s)`: if len(s) == 30 (nanoseconds) the last 3 digits are cut, then
 *   `datetime.strptime(s, "%Y-%m-%dT%H:%M:%S.%fZ")`, else ValueError. %f takes 1 to 6 digits.
 * [cli] src/huggingface_hub/cli/papers.py at 8f1f1489930b2d5dba4112367cbb4aa85141e0be:
 *   `hf papers ls` calls `api.list_daily_papers(date=…, sort=…, limit=…, token=…)`, sort one of
 *   ("publishedAt", "trending"); "list daily papers (most recently submitted)" with no date.
 * [#3585] huggingface/huggingface_hub pull request 3585 ("Add more parameters to daily papers"):
 *   `list_daily_papers` gained week, month, submitter, sort, p and limit; its tests assert that
 *   `list_daily_papers(submitter="akhaliq")` is not empty and `papers[0].submitted_by.fullname ==
 *   "AK"`, and that a month's papers have `submitted_at` within the month's bounds.
 * [issue 14] this project's issue: the client's list_papers sends `limit` (up to 120) and
 *   read_paper(id) fetches GET {endpoint}/papers/{id}.md (Hugging Face also serves it for
 *   Accept: text/markdown).
 */

export class HfHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    url: string,
  ) {
    super(`${status} Client Error for url: ${url}`);
  }
}

/** Python's truth: None, False, 0, '', [] and {} are false. */
function truthy(v: unknown): boolean {
  if (v === null || v === undefined || v === false || v === 0 || v === '') return false;
  if (Array.isArray(v)) return v.length > 0;
  if (typeof v === 'object') return Object.keys(v as object).length > 0;
  return true;
}

/** dict.pop(key, default) */
function pop(o: Record<string, unknown>, key: string, fallback: unknown = null): any {
  if (!(key in o)) return fallback;
  const v = o[key];
  delete o[key];
  return v;
}

const STRPTIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\.(\d{1,6})Z$/;

/** [datetime] parse_datetime: the one format the client accepts; anything else raises. */
export function parseDatetime(input: unknown): Date {
  if (typeof input !== 'string') throw new TypeError(`strptime() argument 1 must be str, not ${typeof input}`);
  let s = input;
  if (s.length === 30) s = `${s.slice(0, -4)}Z`;
  const m = STRPTIME.exec(s);
  const d = m
    ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], Math.floor(+m[7].padEnd(6, '0') / 1000)))
    : null;
  // strptime refuses impossible dates (2025-02-30), which Date would roll over.
  if (!m || !d || d.getUTCDate() !== +m[3] || d.getUTCMonth() !== +m[2] - 1 || +m[4] > 23 || +m[5] > 59 || +m[6] > 61)
    throw new Error(
      `ValueError: Cannot parse '${input}' as a datetime. Date string is expected to follow '%Y-%m-%dT%H:%M:%S.%fZ' pattern.`,
    );
  return d;
}

export interface HfUser {
  username: string;
  fullname: string;
  avatar_url: string;
  user_type: string | null;
  [k: string]: unknown;
}

/** [hf_api] User(**kwargs) */
function hfUser(input: Record<string, unknown>): HfUser {
  const k = { ...input };
  return {
    username: pop(k, 'user', ''),
    fullname: pop(k, 'fullname', ''),
    avatar_url: pop(k, 'avatarUrl', ''),
    user_type: pop(k, 'type', null),
    ...k,
  };
}

export interface HfPaperInfo {
  id: string | null;
  authors: Array<string | null> | null;
  published_at: Date | null;
  title: string | null;
  source: string | null;
  summary: string | null;
  upvotes: number | null;
  discussion_id: string | null;
  comments: number;
  submitted_at: Date | null;
  submitted_by: HfUser | null;
  /** "forward compatibility: self.__dict__.update(**kwargs)": whatever else the answer held. */
  [k: string]: unknown;
}

/**
 * [hf_api] PaperInfo(**kwargs), statement by statement:
 *   paper = kwargs.pop("paper", {})
 *   self.id = kwargs.pop("id", None) or paper.pop("id", None)
 *   authors = paper.pop("authors", None) or kwargs.pop("authors", None)
 *   self.authors = [author.pop("name", None) for author in authors] if authors else None
 *   published_at = paper.pop("publishedAt", None) or kwargs.pop("publishedAt", None)
 *   self.published_at = parse_datetime(published_at) if published_at else None
 *   self.title = kwargs.pop("title", None)
 *   self.source = kwargs.pop("source", None)
 *   self.summary = paper.pop("summary", None) or kwargs.pop("summary", None)
 *   self.upvotes = paper.pop("upvotes", None) or kwargs.pop("upvotes", None)
 *   self.discussion_id = paper.pop("discussionId", None) or kwargs.pop("discussionId", None)
 *   self.comments = kwargs.pop("numComments", 0)
 *   submitted_at = kwargs.pop("publishedAt", None) or kwargs.pop("submittedOnDailyAt", None)
 *   self.submitted_at = parse_datetime(submitted_at) if submitted_at else None
 *   submitted_by = kwargs.pop("submittedBy", None) or kwargs.pop("submittedOnDailyBy", None)
 *   self.submitted_by = User(**submitted_by) if submitted_by else None
 *   self.__dict__.update(**kwargs)
 * Python's `or` short-circuits, so a key is popped only when the left side was falsy: for a daily
 * item the outer publishedAt is left for submitted_at (the day it was featured), for a bare paper
 * (paper_info) publishedAt goes to published_at and submitted_at comes from submittedOnDailyAt.
 * Where Python would raise (a non-dict author, a non-mapping `submittedBy`), this throws too.
 */
export function paperInfo(input: Record<string, unknown>): HfPaperInfo {
  const kwargs = structuredClone(input) as Record<string, any>;
  const paper = pop(kwargs, 'paper', {}) as Record<string, any>;
  if (typeof paper !== 'object' || paper === null || Array.isArray(paper)) throw new TypeError('paper is not a dict');
  const idOuter = pop(kwargs, 'id', null);
  const id = truthy(idOuter) ? idOuter : pop(paper, 'id', null);
  const authorsPaper = pop(paper, 'authors', null);
  const authors = truthy(authorsPaper) ? authorsPaper : pop(kwargs, 'authors', null);
  if (authors !== null && truthy(authors) && !Array.isArray(authors)) throw new TypeError('authors is not a list');
  const authorNames = truthy(authors)
    ? (authors as unknown[]).map((a) => {
        if (typeof a !== 'object' || a === null) throw new TypeError("'str' object has no attribute 'pop'");
        return pop(a as Record<string, unknown>, 'name', null) as string | null;
      })
    : null;
  const pubPaper = pop(paper, 'publishedAt', null);
  const publishedAt = truthy(pubPaper) ? pubPaper : pop(kwargs, 'publishedAt', null);
  const title = pop(kwargs, 'title', null);
  const source = pop(kwargs, 'source', null);
  const sumPaper = pop(paper, 'summary', null);
  const summary = truthy(sumPaper) ? sumPaper : pop(kwargs, 'summary', null);
  const upPaper = pop(paper, 'upvotes', null);
  const upvotes = truthy(upPaper) ? upPaper : pop(kwargs, 'upvotes', null);
  const discPaper = pop(paper, 'discussionId', null);
  const discussionId = truthy(discPaper) ? discPaper : pop(kwargs, 'discussionId', null);
  const comments = pop(kwargs, 'numComments', 0);
  const subOuter = pop(kwargs, 'publishedAt', null);
  const submittedAt = truthy(subOuter) ? subOuter : pop(kwargs, 'submittedOnDailyAt', null);
  const byOuter = pop(kwargs, 'submittedBy', null);
  const by = truthy(byOuter) ? byOuter : pop(kwargs, 'submittedOnDailyBy', null);
  if (by !== null && truthy(by) && (typeof by !== 'object' || Array.isArray(by)))
    throw new TypeError('User() argument after ** must be a mapping');
  return {
    ...kwargs,
    id,
    authors: authorNames,
    published_at: truthy(publishedAt) ? parseDatetime(publishedAt) : null,
    title,
    source,
    summary,
    upvotes,
    discussion_id: discussionId,
    comments,
    submitted_at: truthy(submittedAt) ? parseDatetime(submittedAt) : null,
    submitted_by: truthy(by) ? hfUser(by) : null,
  };
}

/** What the client's HTTP session does: a GET with query parameters, answering status, headers and text. */
type Get = (
  url: string,
  headers?: Record<string, string>,
) => Promise<{ status: number; headers: Record<string, string | string[] | number | undefined>; body: string }>;

function withParams(url: string, params: Record<string, string | number | undefined | null>): string {
  const u = new URL(url);
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== null) u.searchParams.set(k, String(v));
  return u.toString();
}

/** The client's papers methods over an HTTP GET (`get`), against an endpoint. */
export class HfPapersClient {
  constructor(
    readonly endpoint: string,
    private readonly get: Get,
  ) {}

  private async getJson(url: string): Promise<any> {
    const r = await this.get(url);
    // hf_raise_for_status: any 4xx or 5xx raises.
    if (r.status >= 400) throw new HfHttpError(r.status, r.body, url);
    return JSON.parse(r.body);
  }

  /** [hf_api] list_papers; `limit` as [issue 14] says newer clients send it. */
  async listPapers(opts: { query?: string; limit?: number } = {}): Promise<HfPaperInfo[]> {
    const params: Record<string, string | number | undefined> = {};
    if (opts.query) params.q = opts.query;
    if (opts.limit !== undefined) params.limit = opts.limit;
    const items = await this.getJson(withParams(`${this.endpoint}/api/papers/search`, params));
    if (!Array.isArray(items)) throw new TypeError('/api/papers/search did not answer a list');
    return items.map((i) => paperInfo(i));
  }

  /** [hf_api] paper_info */
  async paperInfo(id: string): Promise<HfPaperInfo> {
    return paperInfo(await this.getJson(`${this.endpoint}/api/papers/${id}`));
  }

  /** [issue 14] read_paper: the paper page as Markdown. */
  async readPaper(id: string): Promise<string> {
    const url = `${this.endpoint}/papers/${id}.md`;
    const r = await this.get(url);
    if (r.status >= 400) throw new HfHttpError(r.status, r.body, url);
    return r.body;
  }

  /** [cli], [#3585] list_daily_papers: each parameter sent only when given. */
  async listDailyPapers(
    opts: {
      date?: string;
      week?: string;
      month?: string;
      submitter?: string;
      sort?: 'publishedAt' | 'trending';
      p?: number;
      limit?: number;
    } = {},
  ): Promise<HfPaperInfo[]> {
    const items = await this.getJson(withParams(`${this.endpoint}/api/daily_papers`, opts));
    if (!Array.isArray(items)) throw new TypeError('/api/daily_papers did not answer a list');
    return items.map((i) => paperInfo(i));
  }
}
