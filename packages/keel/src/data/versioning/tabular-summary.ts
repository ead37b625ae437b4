/**
 * Schema and profile summary of a tabular file, recorded with its dataset version. The data
 * engine is imported only when a table is actually added (DuckDB is a large native module).
 */
import { isKeelError } from "../../errors.js";
import { type DataFormat, detectFormat } from "../engine/data-format.js";

/** JSON texts stored on the dataset version; absent for non-tabular data. */
export interface TableSummaryJson {
  /** `{"columns":[{"name","type"}]}`. */
  schema?: string | undefined;
  /** The profile summary (`ProfileSummary` of data/profile). */
  profile?: string | undefined;
}

/** The table format of `path` from its extension, or null when it is not a table Keel reads. */
export function tableFormatOf(path: string): DataFormat | null {
  try {
    return detectFormat(path);
  } catch (e) {
    if (isKeelError(e)) return null;
    throw e;
  }
}

/**
 * Summarise `path` when it is a table. A table the engine cannot read is still versioned: the
 * reason is appended to `warnings` and no summary is stored.
 */
export async function summarizeTable(path: string, warnings: string[]): Promise<TableSummaryJson> {
  const format = tableFormatOf(path);
  if (format === null) return {};
  const [{ DataSession }, { profileTable }, { summarizeProfile }] = await Promise.all([
    import("../engine/duckdb-session.js"),
    import("../profile/profile-table.js"),
    import("../profile/dataset-profile.js"),
  ]);
  const session = await DataSession.open();
  try {
    const relation = await session.relationFrom(path, { format });
    const columns = await session.describe(relation);
    const profile = summarizeProfile(await profileTable(session, relation));
    return { schema: JSON.stringify({ columns }), profile: JSON.stringify(profile) };
  } catch (e) {
    if (!isKeelError(e)) throw e;
    warnings.push(`no schema or profile recorded: ${e.message}`);
    return {};
  } finally {
    session.close();
  }
}
