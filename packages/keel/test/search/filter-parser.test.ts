import { describe, expect, it } from "vitest";
import { isKeelError } from "../../src/errors.js";
import {
  clampMaxResults,
  decodePageToken,
  encodePageToken,
  likeToRegExp,
  parseExperimentFilter,
  parseModelFilter,
  parseModelVersionFilter,
  parseOrderBy,
  parseRunFilter,
} from "../../src/store/search/filter-parser.js";

/** Run `fn`, assert it throws INVALID_PARAMETER_VALUE, and return the message. */
function errorOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    expect(isKeelError(e)).toBe(true);
    if (!isKeelError(e)) throw e;
    expect(e.code).toBe("INVALID_PARAMETER_VALUE");
    expect(e.status).toBe(400);
    return e.message;
  }
  throw new Error("expected an INVALID_PARAMETER_VALUE error, got none");
}

describe("parseRunFilter: valid filters", () => {
  it("returns [] for undefined, empty and blank filters", () => {
    expect(parseRunFilter(undefined)).toEqual([]);
    expect(parseRunFilter("")).toEqual([]);
    expect(parseRunFilter("  \n\t ")).toEqual([]);
  });

  it("parses the documented example", () => {
    expect(
      parseRunFilter(
        "metrics.acc > 0.9 and params.model = 'gbdt' and tags.team LIKE 'a%' and attributes.status = 'FINISHED'",
      ),
    ).toEqual([
      { entity: "metric", key: "acc", op: ">", value: 0.9 },
      { entity: "param", key: "model", op: "=", value: "gbdt" },
      { entity: "tag", key: "team", op: "LIKE", value: "a%" },
      { entity: "attribute", key: "status", op: "=", value: "FINISHED" },
    ]);
  });

  it("accepts every entity prefix alias", () => {
    const cases: [string, string][] = [
      ["metric.a > 1", "metric"],
      ["metrics.a > 1", "metric"],
      ["param.a = 'x'", "param"],
      ["params.a = 'x'", "param"],
      ["parameter.a = 'x'", "param"],
      ["parameters.a = 'x'", "param"],
      ["tag.a = 'x'", "tag"],
      ["tags.a = 'x'", "tag"],
      ["attribute.status = 'x'", "attribute"],
      ["attributes.status = 'x'", "attribute"],
      ["attr.status = 'x'", "attribute"],
      ["run.status = 'x'", "attribute"],
      ["dataset.name = 'x'", "dataset"],
      ["datasets.name = 'x'", "dataset"],
      ["`metrics`.a > 1", "metric"],
    ];
    for (const [filter, entity] of cases) {
      expect(parseRunFilter(filter)[0]!.entity, filter).toBe(entity);
    }
  });

  it("treats AND, LIKE, ILIKE, IN and NOT IN case-insensitively", () => {
    expect(
      parseRunFilter("tags.a like 'x%' AnD tags.b ilike '%Y' and run_id not in ('a') and run_id in ('b')"),
    ).toEqual([
      { entity: "tag", key: "a", op: "LIKE", value: "x%" },
      { entity: "tag", key: "b", op: "ILIKE", value: "%Y" },
      { entity: "attribute", key: "run_id", op: "NOT IN", value: ["a"] },
      { entity: "attribute", key: "run_id", op: "IN", value: ["b"] },
    ]);
  });

  it("parses every numeric comparator", () => {
    for (const op of ["=", "!=", "<", "<=", ">", ">="]) {
      expect(parseRunFilter(`metrics.loss ${op} 2`)).toEqual([
        { entity: "metric", key: "loss", op, value: 2 },
      ]);
    }
    // No spaces around the operator.
    expect(parseRunFilter("metrics.loss<=2")).toEqual([
      { entity: "metric", key: "loss", op: "<=", value: 2 },
    ]);
  });

  it("parses integers, decimals, negative and scientific-notation numbers", () => {
    const values: [string, number][] = [
      ["0", 0],
      ["42", 42],
      ["-3", -3],
      ["0.5", 0.5],
      [".5", 0.5],
      ["1.", 1],
      ["-0.25", -0.25],
      ["1e3", 1000],
      ["1E3", 1000],
      ["2.5e-3", 0.0025],
      ["-1.5E+2", -150],
      ["1700000000000", 1_700_000_000_000],
    ];
    for (const [text, value] of values) {
      expect(parseRunFilter(`metrics.m >= ${text}`)[0]!.value, text).toBe(value);
    }
  });

  it("unquotes keys written with double quotes or backticks, including spaces and dots", () => {
    expect(parseRunFilter('metrics."model class" > 1')[0]!.key).toBe("model class");
    expect(parseRunFilter("params.`a b` = 'x'")[0]!.key).toBe("a b");
    expect(parseRunFilter("tags.\"mlflow.source.name\" = 'x'")[0]!.key).toBe("mlflow.source.name");
    expect(parseRunFilter("metrics.`val.loss` < 1")[0]!.key).toBe("val.loss");
    expect(parseRunFilter('params."it""s" = \'x\'')[0]!.key).toBe('it"s');
  });

  it("keeps dots in unquoted keys after the prefix", () => {
    expect(parseRunFilter("metrics.val.loss < 0.1")).toEqual([
      { entity: "metric", key: "val.loss", op: "<", value: 0.1 },
    ]);
    expect(parseRunFilter("tags.mlflow.user = 'me'")[0]!.key).toBe("mlflow.user");
  });

  it("accepts single- and double-quoted string values and escaped quotes", () => {
    expect(parseRunFilter("params.m = 'gbdt'")[0]!.value).toBe("gbdt");
    expect(parseRunFilter('params.m = "gbdt"')[0]!.value).toBe("gbdt");
    expect(parseRunFilter("params.m = 'it''s'")[0]!.value).toBe("it's");
    expect(parseRunFilter("params.m = 'it\\'s'")[0]!.value).toBe("it's");
    expect(parseRunFilter('params.m = "say ""hi"""')[0]!.value).toBe('say "hi"');
    expect(parseRunFilter("params.p = 'C:\\\\data'")[0]!.value).toBe("C:\\data");
    expect(parseRunFilter("params.p = 'a\\nb'")[0]!.value).toBe("a\\nb");
    expect(parseRunFilter("params.m = ''")[0]!.value).toBe("");
    expect(parseRunFilter("params.m = 'a and b or c'")[0]!.value).toBe("a and b or c");
    expect(parseRunFilter("params.m = 'héllo ✓'")[0]!.value).toBe("héllo ✓");
  });

  it("treats a key without prefix as an attribute and maps MLflow's aliases", () => {
    expect(parseRunFilter("status = 'RUNNING'")).toEqual([
      { entity: "attribute", key: "status", op: "=", value: "RUNNING" },
    ]);
    expect(parseRunFilter("created > 100")).toEqual([
      { entity: "attribute", key: "start_time", op: ">", value: 100 },
    ]);
    expect(parseRunFilter("attributes.Created > 100")[0]!.key).toBe("start_time");
    expect(parseRunFilter("attributes.\"run name\" = 'x'")[0]!.key).toBe("run_name");
    expect(parseRunFilter("attributes.`Run Name` = 'x'")[0]!.key).toBe("run_name");
    expect(parseRunFilter("\"run name\" LIKE 'x%'")[0]!.key).toBe("run_name");
  });

  it("accepts every run attribute with its type", () => {
    for (const key of ["run_id", "run_name", "status", "user_id", "artifact_uri"]) {
      expect(parseRunFilter(`attributes.${key} ILIKE '%x%'`)[0]).toEqual({
        entity: "attribute",
        key,
        op: "ILIKE",
        value: "%x%",
      });
    }
    for (const key of ["start_time", "end_time"]) {
      expect(parseRunFilter(`attributes.${key} <= 5`)[0]).toEqual({
        entity: "attribute",
        key,
        op: "<=",
        value: 5,
      });
    }
  });

  it("parses IN and NOT IN lists on run_id, with either quote style", () => {
    expect(parseRunFilter("attributes.run_id IN ('a1', \"b2\",'c3')")).toEqual([
      { entity: "attribute", key: "run_id", op: "IN", value: ["a1", "b2", "c3"] },
    ]);
    expect(parseRunFilter("run_id NOT IN ( 'x' )")).toEqual([
      { entity: "attribute", key: "run_id", op: "NOT IN", value: ["x"] },
    ]);
  });

  it("parses dataset filters on name, digest and context", () => {
    expect(
      parseRunFilter(
        "datasets.name = 'iris' and datasets.digest IN ('d1','d2') and dataset.context LIKE 'train%'",
      ),
    ).toEqual([
      { entity: "dataset", key: "name", op: "=", value: "iris" },
      { entity: "dataset", key: "digest", op: "IN", value: ["d1", "d2"] },
      { entity: "dataset", key: "context", op: "LIKE", value: "train%" },
    ]);
    expect(parseRunFilter("datasets.context NOT IN ('eval')")[0]!.op).toBe("NOT IN");
  });

  it("allows keys that look like keywords after a prefix", () => {
    expect(parseRunFilter("params.and = 'x' and tags.or = 'y'")).toEqual([
      { entity: "param", key: "and", op: "=", value: "x" },
      { entity: "tag", key: "or", op: "=", value: "y" },
    ]);
  });
});

describe("parseRunFilter: errors name the position and the token", () => {
  it("rejects OR", () => {
    const filter = "metrics.acc > 0.9 OR params.a = 'x'";
    expect(errorOf(() => parseRunFilter(filter))).toBe(
      "Invalid filter at position 18 near 'OR': OR is not supported, only AND; run one search per alternative",
    );
    expect(errorOf(() => parseRunFilter("metrics.a > 1 or metrics.b > 2"))).toMatch(/position 14 near 'or'/);
  });

  it("rejects missing values, operators and trailing AND", () => {
    expect(errorOf(() => parseRunFilter("metrics.acc >"))).toMatch(/position 13 near end of input: .*number/);
    expect(errorOf(() => parseRunFilter("metrics.acc 0.5"))).toMatch(
      /position 12 near '0.5': expected a comparison operator/,
    );
    expect(errorOf(() => parseRunFilter("metrics.acc > 1 and"))).toMatch(
      /position 19 near end of input: expected a key/,
    );
    expect(errorOf(() => parseRunFilter("metrics.acc > 1 metrics.b > 2"))).toMatch(
      /position 16 near 'metrics.b': expected AND or the end of the filter/,
    );
    expect(errorOf(() => parseRunFilter("and metrics.acc > 1"))).toMatch(
      /position 0 near 'and': expected a key/,
    );
  });

  it("rejects unsupported operators with a hint", () => {
    expect(errorOf(() => parseRunFilter("metrics.a == 1"))).toMatch(
      /position 10 near '==': unsupported operator; use =/,
    );
    expect(errorOf(() => parseRunFilter("metrics.a <> 1"))).toMatch(
      /position 10 near '<>': unsupported operator; use !=/,
    );
    expect(errorOf(() => parseRunFilter("params.a NOT LIKE 'x'"))).toMatch(
      /position 9 near 'NOT': NOT is only supported as NOT IN/,
    );
    expect(errorOf(() => parseRunFilter("metrics.a ~ 1"))).toMatch(
      /position 10 near '~': unexpected character/,
    );
  });

  it("rejects wrong value types", () => {
    expect(errorOf(() => parseRunFilter("metrics.acc > '0.9'"))).toBe(
      "Invalid filter at position 14 near ''0.9'': metrics.acc compares with numbers; expected a number such as 0.5 or -1e-3",
    );
    expect(errorOf(() => parseRunFilter("params.lr = 0.1"))).toMatch(
      /position 12 near '0.1': params.lr compares with strings; expected a quoted value/,
    );
    expect(errorOf(() => parseRunFilter("attributes.start_time > 'yesterday'"))).toMatch(
      /position 24 near ''yesterday''/,
    );
    expect(errorOf(() => parseRunFilter("tags.t = `x`"))).toMatch(
      /position 9 near '`x`': tags.t compares with strings/,
    );
    expect(errorOf(() => parseRunFilter("tags.t = bare"))).toMatch(/near 'bare'/);
  });

  it("rejects operators that do not fit the key's type", () => {
    expect(errorOf(() => parseRunFilter("params.lr > '1'"))).toBe(
      "Invalid filter at position 10 near '>': params.lr is a string; compare it with =, !=, LIKE, ILIKE",
    );
    expect(errorOf(() => parseRunFilter("metrics.acc LIKE '1%'"))).toMatch(
      /position 12 near 'LIKE': metrics.acc is numeric; compare it with =, !=, <, <=, >, >=/,
    );
    expect(errorOf(() => parseRunFilter("tags.t IN ('a')"))).toMatch(
      /position 7 near 'IN': tags.t is a string/,
    );
    expect(errorOf(() => parseRunFilter("attributes.status IN ('FAILED')"))).toMatch(/near 'IN'/);
    expect(errorOf(() => parseRunFilter("start_time LIKE '1%'"))).toMatch(
      /near 'LIKE': start_time is numeric/,
    );
  });

  it("rejects unknown entities and attributes", () => {
    expect(errorOf(() => parseRunFilter("metrix.acc > 1"))).toMatch(
      /position 0 near 'metrix.acc': unknown entity 'metrix'; valid prefixes are metric, metrics, /,
    );
    expect(errorOf(() => parseRunFilter("metrics.a > 1 and attributes.foo = 'x'"))).toMatch(
      /position 18 near 'attributes.foo': unknown attribute 'foo' for run search; valid keys are run_id, /,
    );
    expect(errorOf(() => parseRunFilter("lifecycle_stage = 'active'"))).toMatch(
      /unknown attribute 'lifecycle_stage'/,
    );
    expect(errorOf(() => parseRunFilter("datasets.version = '1'"))).toMatch(/unknown dataset 'version'/);
    expect(errorOf(() => parseRunFilter('"metrics".acc > 1'))).toMatch(/unknown entity 'metrics'/);
    expect(errorOf(() => parseRunFilter("Metrics.acc > 1"))).toMatch(/unknown entity 'Metrics'/);
  });

  it("rejects malformed keys", () => {
    expect(errorOf(() => parseRunFilter("metrics. > 1"))).toMatch(
      /position 0 near 'metrics.': expected a name after '.'/,
    );
    expect(errorOf(() => parseRunFilter('metrics."" > 1'))).toMatch(/the key is empty/);
    expect(errorOf(() => parseRunFilter('metrics.a."b c" > 1'))).toMatch(/quote the whole key/);
    expect(errorOf(() => parseRunFilter("1x > 1"))).toMatch(/position 0 near '1x': malformed number/);
    expect(errorOf(() => parseRunFilter("metrics.a > 1.5.2"))).toMatch(
      /position 12 near '1.5.': malformed number/,
    );
    // A part after the prefix may start with a digit, as in sqlparse.
    expect(parseRunFilter("metrics.10fold > 1")[0]!.key).toBe("10fold");
  });

  it("rejects unterminated quotes with the opening position", () => {
    expect(errorOf(() => parseRunFilter("params.a = 'oops"))).toMatch(
      /position 11 near ''oops': unterminated ' quote/,
    );
    expect(errorOf(() => parseRunFilter('params."a = 1'))).toMatch(/position 7 near .*unterminated " quote/);
  });

  it("rejects bad IN lists", () => {
    expect(errorOf(() => parseRunFilter("run_id IN ()"))).toMatch(/position 11 near '\)': the list is empty/);
    expect(errorOf(() => parseRunFilter("run_id IN ('a', 1)"))).toMatch(
      /position 16 near '1': expected a quoted string/,
    );
    expect(errorOf(() => parseRunFilter("run_id IN ('a' 'b')"))).toMatch(
      /position 15 near ''b'': expected ',' or '\)'/,
    );
    expect(errorOf(() => parseRunFilter("run_id IN ('a',)"))).toMatch(
      /position 15 near '\)': expected a quoted string/,
    );
    expect(errorOf(() => parseRunFilter("run_id IN 'a'"))).toMatch(
      /position 10 near ''a'': expected a parenthesised list/,
    );
    expect(errorOf(() => parseRunFilter("run_id IN ('a'"))).toMatch(/near end of input/);
  });

  it("rejects grouping parentheses and multiple statements", () => {
    expect(errorOf(() => parseRunFilter("(metrics.a > 1)"))).toMatch(
      /position 0 near '\(': parentheses are only allowed/,
    );
    expect(errorOf(() => parseRunFilter("metrics.a > 1; metrics.b > 2"))).toMatch(/position 13 near ';'/);
  });
});

describe("parseExperimentFilter", () => {
  it("parses name, times and tags", () => {
    expect(
      parseExperimentFilter(
        "name LIKE 'exp%' and attributes.creation_time > 100 and attribute.last_update_time <= 200 and tags.team = 'a'",
      ),
    ).toEqual([
      { entity: "attribute", key: "name", op: "LIKE", value: "exp%" },
      { entity: "attribute", key: "creation_time", op: ">", value: 100 },
      { entity: "attribute", key: "last_update_time", op: "<=", value: 200 },
      { entity: "tag", key: "team", op: "=", value: "a" },
    ]);
  });

  it("rejects run-only entities and attributes", () => {
    expect(errorOf(() => parseExperimentFilter("metrics.acc > 1"))).toMatch(
      /unknown entity 'metrics'; valid prefixes are attribute/,
    );
    expect(errorOf(() => parseExperimentFilter("status = 'x'"))).toMatch(
      /unknown attribute 'status' for experiment search/,
    );
    expect(errorOf(() => parseExperimentFilter("name IN ('a')"))).toMatch(/near 'IN': name is a string/);
    expect(errorOf(() => parseExperimentFilter("creation_time > 'x'"))).toMatch(
      /creation_time compares with numbers/,
    );
  });
});

describe("parseModelFilter", () => {
  it("parses name and tags", () => {
    expect(parseModelFilter("name ILIKE '%Fraud%' and tags.`owner team` != 'x'")).toEqual([
      { entity: "attribute", key: "name", op: "ILIKE", value: "%Fraud%" },
      { entity: "tag", key: "owner team", op: "!=", value: "x" },
    ]);
    expect(parseModelFilter("attributes.name = 'm'")[0]!.key).toBe("name");
  });

  it("rejects other attributes and numeric comparisons", () => {
    expect(errorOf(() => parseModelFilter("run_id = 'x'"))).toMatch(
      /unknown attribute 'run_id' for registered model search; valid keys are name/,
    );
    expect(errorOf(() => parseModelFilter("name > 'a'"))).toMatch(/position 5 near '>'/);
    expect(errorOf(() => parseModelFilter("params.a = 'x'"))).toMatch(/unknown entity 'params'/);
  });
});

describe("parseModelVersionFilter", () => {
  it("parses name, run_id IN, source_path, version_number and tags", () => {
    expect(
      parseModelVersionFilter(
        "name = 'm' and run_id IN ('r1','r2') and source_path LIKE 's3://%' and version_number >= 2 and tags.stage = 'x'",
      ),
    ).toEqual([
      { entity: "attribute", key: "name", op: "=", value: "m" },
      { entity: "attribute", key: "run_id", op: "IN", value: ["r1", "r2"] },
      { entity: "attribute", key: "source_path", op: "LIKE", value: "s3://%" },
      { entity: "attribute", key: "version_number", op: ">=", value: 2 },
      { entity: "tag", key: "stage", op: "=", value: "x" },
    ]);
  });

  it("rejects NOT IN, IN on other keys, and a string version", () => {
    expect(errorOf(() => parseModelVersionFilter("run_id NOT IN ('a')"))).toMatch(
      /position 7 near 'NOT': run_id is a string/,
    );
    expect(errorOf(() => parseModelVersionFilter("name IN ('a')"))).toMatch(/near 'IN'/);
    expect(errorOf(() => parseModelVersionFilter("version_number = '3'"))).toMatch(
      /version_number compares with numbers/,
    );
    expect(errorOf(() => parseModelVersionFilter("name = 3"))).toMatch(/name compares with strings/);
  });
});

describe("parseOrderBy", () => {
  it("returns [] for undefined and empty lists", () => {
    expect(parseOrderBy(undefined, "runs")).toEqual([]);
    expect(parseOrderBy([], "runs")).toEqual([]);
  });

  it("parses run clauses with default ASC and case-insensitive directions", () => {
    expect(
      parseOrderBy(
        [
          "metrics.acc DESC",
          "params.lr",
          "attributes.start_time ASC",
          "tags.team desc",
          'metrics."model class" asc',
          "metrics.`a b` DESC",
          "metrics.val.loss",
          "created DESC",
          "run_name",
        ],
        "runs",
      ),
    ).toEqual([
      { entity: "metric", key: "acc", ascending: false },
      { entity: "param", key: "lr", ascending: true },
      { entity: "attribute", key: "start_time", ascending: true },
      { entity: "tag", key: "team", ascending: false },
      { entity: "metric", key: "model class", ascending: true },
      { entity: "metric", key: "a b", ascending: false },
      { entity: "metric", key: "val.loss", ascending: true },
      { entity: "attribute", key: "start_time", ascending: false },
      { entity: "attribute", key: "run_name", ascending: true },
    ]);
  });

  it("parses experiment and registry clauses", () => {
    expect(
      parseOrderBy(
        ["name", "creation_time DESC", "experiment_id", "attributes.last_update_time"],
        "experiments",
      ),
    ).toEqual([
      { entity: "attribute", key: "name", ascending: true },
      { entity: "attribute", key: "creation_time", ascending: false },
      { entity: "attribute", key: "experiment_id", ascending: true },
      { entity: "attribute", key: "last_update_time", ascending: true },
    ]);
    expect(
      parseOrderBy(["name ASC", "last_updated_timestamp DESC", "creation_timestamp"], "models"),
    ).toHaveLength(3);
    expect(parseOrderBy(["version_number DESC"], "model_versions")).toEqual([
      { entity: "attribute", key: "version_number", ascending: false },
    ]);
    expect(parseOrderBy(["version_number DESC", "name"], "registry")).toHaveLength(2);
  });

  it("rejects invalid clauses, naming the clause", () => {
    expect(errorOf(() => parseOrderBy(["metrics.acc DSC"], "runs"))).toBe(
      "Invalid order_by clause 'metrics.acc DSC' at position 12 near 'DSC': expected ASC or DESC",
    );
    expect(errorOf(() => parseOrderBy(["metrics.acc DESC ASC"], "runs"))).toMatch(
      /clause 'metrics.acc DESC ASC' at position 17 near 'ASC': expected the end/,
    );
    expect(errorOf(() => parseOrderBy([""], "runs"))).toMatch(/Invalid order_by clause '': it is empty/);
    expect(errorOf(() => parseOrderBy(["DESC"], "runs"))).toMatch(/runs cannot be ordered by 'DESC'/);
    expect(errorOf(() => parseOrderBy(["datasets.name"], "runs"))).toMatch(/unknown entity 'datasets'/);
    expect(errorOf(() => parseOrderBy(["foo"], "runs"))).toMatch(
      /clause 'foo' .*runs cannot be ordered by 'foo'; valid attributes are /,
    );
    expect(errorOf(() => parseOrderBy(["tags.x"], "experiments"))).toMatch(/unknown entity 'tags'/);
    expect(errorOf(() => parseOrderBy(["version_number"], "models"))).toMatch(
      /registered models cannot be ordered by 'version_number'/,
    );
    expect(errorOf(() => parseOrderBy(["metrics.acc > 1"], "runs"))).toMatch(
      /near '>': expected ASC or DESC/,
    );
    expect(errorOf(() => parseOrderBy(["1"], "runs"))).toMatch(/near '1': expected a key/);
  });
});

describe("page tokens and max_results", () => {
  it("round-trips offsets as base64 JSON", () => {
    for (const offset of [0, 1, 1000, 123_456_789]) {
      const token = encodePageToken(offset);
      expect(JSON.parse(Buffer.from(token, "base64").toString("utf8"))).toEqual({ offset });
      expect(decodePageToken(token)).toBe(offset);
    }
    expect(decodePageToken(undefined)).toBe(0);
    expect(decodePageToken("")).toBe(0);
    // MLflow's own tokens (json.dumps adds a space) decode too.
    expect(decodePageToken(Buffer.from('{"offset": 20}').toString("base64"))).toBe(20);
  });

  it("rejects invalid tokens", () => {
    const bad = [
      "not base64!",
      "abc",
      Buffer.from("not json").toString("base64"),
      Buffer.from('{"off":1}').toString("base64"),
      Buffer.from('{"offset":-1}').toString("base64"),
      Buffer.from('{"offset":1.5}').toString("base64"),
      Buffer.from("null").toString("base64"),
    ];
    for (const token of bad)
      expect(
        errorOf(() => decodePageToken(token)),
        token,
      ).toMatch(/^Invalid page token/);
    expect(errorOf(() => encodePageToken(-1))).toMatch(/non-negative integer/);
  });

  it("validates max_results", () => {
    expect(clampMaxResults(undefined)).toBe(1000);
    expect(clampMaxResults(undefined, { default: 100, max: 1000 })).toBe(100);
    expect(clampMaxResults(1)).toBe(1);
    expect(clampMaxResults(50_000)).toBe(50_000);
    expect(errorOf(() => clampMaxResults(50_001))).toBe(
      "Invalid value 50001 for max_results: it must be an integer between 1 and 50000",
    );
    expect(errorOf(() => clampMaxResults(0))).toMatch(/between 1 and 50000/);
    expect(errorOf(() => clampMaxResults(-5, { max: 100 }))).toMatch(/between 1 and 100/);
    expect(errorOf(() => clampMaxResults(2.5))).toMatch(/integer/);
  });
});

describe("likeToRegExp", () => {
  it("implements % and _ with everything else literal", () => {
    expect(likeToRegExp("a%", false).test("abc")).toBe(true);
    expect(likeToRegExp("a%", false).test("bac")).toBe(false);
    expect(likeToRegExp("%b%", false).test("abc")).toBe(true);
    expect(likeToRegExp("a_c", false).test("abc")).toBe(true);
    expect(likeToRegExp("a_c", false).test("abbc")).toBe(false);
    expect(likeToRegExp("a.c", false).test("abc")).toBe(false);
    expect(likeToRegExp("a.c", false).test("a.c")).toBe(true);
    expect(likeToRegExp("(x)+[y]*$^|?{1}\\/-", false).test("(x)+[y]*$^|?{1}\\/-")).toBe(true);
    expect(likeToRegExp("%", false).test("multi\nline")).toBe(true);
    expect(likeToRegExp("", false).test("")).toBe(true);
    expect(likeToRegExp("", false).test("x")).toBe(false);
  });

  it("is case-sensitive for LIKE and case-insensitive for ILIKE", () => {
    expect(likeToRegExp("Gbdt%", false).test("gbdt-1")).toBe(false);
    expect(likeToRegExp("Gbdt%", true).test("gbdt-1")).toBe(true);
    expect(likeToRegExp("_É", true).test("xé")).toBe(true);
  });
});
