/** SQL LIKE patterns as regular expressions, for backends (or in-memory filters) without LIKE/ILIKE. */

/**
 * Translate a SQL LIKE pattern to an anchored RegExp: `%` matches any run of characters, `_` exactly
 * one; every other character is literal (no escape character, as MLflow's filters have none).
 * @example likeToRegExp("a%_c", true).test("ABxC") // true
 */
export function likeToRegExp(pattern: string, caseInsensitive: boolean): RegExp {
  let source = "";
  for (const ch of pattern) {
    if (ch === "%") source += "[\\s\\S]*";
    else if (ch === "_") source += "[\\s\\S]";
    else source += ch.replace(/[\\^$.*+?()[\]{}|/]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, caseInsensitive ? "iu" : "u");
}
