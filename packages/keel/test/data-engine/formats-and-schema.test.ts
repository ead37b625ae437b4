import { describe, expect, it } from "vitest";
import { parseColumnSchema } from "../../src/data/engine/column-schema.js";
import { DATA_FORMATS, detectFormat, resolveFormat } from "../../src/data/engine/data-format.js";
import { sqlIdent, sqlString } from "../../src/data/engine/sql-text.js";

describe("detectFormat", () => {
  it("maps every known extension, case-insensitively", () => {
    expect(detectFormat("a/b.CSV")).toBe("csv");
    expect(detectFormat("x.tsv")).toBe("tsv");
    expect(detectFormat("x.json")).toBe("json");
    expect(detectFormat("x.ndjson")).toBe("jsonl");
    expect(detectFormat("x.jsonl")).toBe("jsonl");
    expect(detectFormat("x.parquet")).toBe("parquet");
    expect(detectFormat("x.feather")).toBe("arrow");
    expect(detectFormat("x.arrows")).toBe("arrow");
    expect(detectFormat("x.arrow")).toBe("arrow");
  });

  it("refuses an unknown extension, naming the file and the known formats", () => {
    expect(() => detectFormat("data/table.xlsx")).toThrow(/data\/table\.xlsx.*'\.xlsx'.*--format/);
    try {
      detectFormat("noext");
    } catch (e) {
      expect((e as { code: string }).code).toBe("INVALID_PARAMETER_VALUE");
    }
  });

  it("lets an explicit format win and validates it", () => {
    expect(resolveFormat("x.txt", "CSV")).toBe("csv");
    expect(() => resolveFormat("x.csv", "excel")).toThrow(
      new RegExp(`use one of ${DATA_FORMATS.join(", ")}`),
    );
  });
});

describe("parseColumnSchema (--schema)", () => {
  it("parses col=TYPE pairs, keeping commas inside DECIMAL(p,s)", () => {
    expect(parseColumnSchema("zip=varchar, price=DECIMAL(10,2),day=DATE")).toEqual({
      zip: "VARCHAR",
      price: "DECIMAL(10,2)",
      day: "DATE",
    });
  });

  it.each([
    ["zip", /expected col=TYPE/],
    ["=VARCHAR", /expected col=TYPE/],
    ["zip=", /expected col=TYPE/],
    ["zip=VARCHAR); DROP TABLE x; --", /Invalid type/],
    ["a=INT,a=BIGINT", /given twice/],
    ["", /expected col=TYPE/],
  ])("refuses %j", (text, message) => {
    expect(() => parseColumnSchema(text)).toThrow(message);
  });
});

describe("SQL quoting", () => {
  it("doubles quotes in literals and identifiers", () => {
    expect(sqlString("it's")).toBe("'it''s'");
    expect(sqlIdent('a"b')).toBe('"a""b"');
    expect(() => sqlString("a\0b")).toThrow(/NUL/);
  });
});
