/**
 * The one way user text enters a LIKE / ILIKE pattern: `%` and `_` (and the escape character
 * itself) match literally, so `q=%` finds names with a percent sign, not every name. PostgreSQL's
 * default escape character is the backslash; parameters are bound, so nothing else needs escaping.
 */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** A pattern matching values that contain `text` (a search box's `q=`). */
export function likeContaining(text: string): string {
  return `%${escapeLike(text)}%`;
}

/** A pattern matching values that start with `text` (a materialised path's subtree). */
export function likeStartingWith(text: string): string {
  return `${escapeLike(text)}%`;
}

/** A pattern matching exactly `text` (with ILIKE: the same text in any case). */
export function likeExactly(text: string): string {
  return escapeLike(text);
}
