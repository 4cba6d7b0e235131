export interface PaperFilters {
  /** Inclusive YYYY-MM-DD bounds on the publication date. */
  after?: string;
  before?: string;
  category?: string;
  /** Organisation name (slug). */
  org?: string;
  hasCode?: boolean;
}
