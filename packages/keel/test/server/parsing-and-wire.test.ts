/** The server's pure edge functions: request coercion, wire doubles, artifact URIs, step sampling. */
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { isKeelError } from "../../src/errors.js";
import { artifactPathOf } from "../../src/server/artifact-uri.js";
import { parseRequest } from "../../src/server/request-parsing.js";
import { sampleSteps } from "../../src/server/sample-steps.js";
import { double, int64, maxResults, requiredString, stringList, viewType } from "../../src/server/schemas.js";
import { fromWireDouble, toWireDouble } from "../../src/server/wire.js";

const search = z.object({
  experiment_ids: stringList.default([]),
  max_results: maxResults(100).default(10),
  run_view_type: viewType.optional(),
  start_time: int64.optional(),
  value: double.optional(),
  flag: z.boolean().optional(),
  run_id: requiredString,
});

function errorOf(fn: () => unknown): { code: string; message: string } {
  try {
    fn();
  } catch (e) {
    if (isKeelError(e)) return { code: e.code, message: e.message };
    throw e;
  }
  throw new Error("expected an error");
}

describe("parseRequest", () => {
  it("coerces query strings: single values of repeated fields, numbers, booleans, enums by number", () => {
    const parsed = parseRequest(
      search,
      { experiment_ids: "1", max_results: "5", run_view_type: "3", flag: "true", run_id: ["a", "b"] },
      "query",
    );
    expect(parsed).toEqual({
      experiment_ids: ["1"],
      max_results: 5,
      run_view_type: 3,
      flag: true,
      run_id: "a",
    });
    expect(parseRequest(search, { experiment_ids: ["1", "2"], run_id: "r" }, "query").experiment_ids).toEqual(
      ["1", "2"],
    );
  });

  it("accepts legacy encodings in JSON bodies: int64 strings, run_uuid, protobuf NaN strings", () => {
    const parsed = parseRequest(search, { run_uuid: "r", start_time: "1700000000000", value: "NaN" }, "body");
    expect(parsed).toMatchObject({ run_id: "r", start_time: 1_700_000_000_000, value: "NaN" });
  });

  it("words errors as MLflow does, naming nested fields", () => {
    expect(errorOf(() => parseRequest(search, {}, "body"))).toEqual({
      code: "INVALID_PARAMETER_VALUE",
      message:
        "Missing value for required parameter 'run_id'. See the API docs for more information about request parameters.",
    });
    const nested = z.object({ metrics: z.array(z.object({ key: requiredString })) });
    expect(errorOf(() => parseRequest(nested, { metrics: [{ key: "" }] }, "body")).message).toContain(
      "'metrics[0].key'",
    );
    const big = errorOf(() => parseRequest(search, { run_id: "r", max_results: 101 }, "body"));
    expect(big.message).toContain(
      "Invalid value 101 for parameter 'max_results' supplied: must be at most 100",
    );
    const bad = errorOf(() => parseRequest(search, { run_id: "r", value: "lots" }, "body"));
    expect(bad.message).toContain('expected number or one of "NaN", "Infinity", "-Infinity"');
    expect(errorOf(() => parseRequest(search, "[]", "body")).code).toBe("MALFORMED_REQUEST");
  });
});

describe("wire doubles", () => {
  it("write and read NaN and infinities as protobuf's JSON mapping does", () => {
    expect([Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, 0.5].map(toWireDouble)).toEqual([
      "NaN",
      "Infinity",
      "-Infinity",
      0.5,
    ]);
    expect(fromWireDouble("NaN")).toBeNaN();
    expect(fromWireDouble("-Infinity")).toBe(Number.NEGATIVE_INFINITY);
  });
});

describe("artifactPathOf", () => {
  const root = "file:///srv/keel/artifacts";
  it("maps proxied and local URIs into the store, and leaves foreign ones alone", () => {
    expect(artifactPathOf("mlflow-artifacts:/1/abc/artifacts", root, "model")).toBe("1/abc/artifacts/model");
    expect(artifactPathOf("mlflow-artifacts://host:5000/1/abc/artifacts", root)).toBe("1/abc/artifacts");
    expect(artifactPathOf("http://h/api/2.0/mlflow-artifacts/artifacts/1/abc", root)).toBe("1/abc");
    expect(artifactPathOf(`${root}/1/a%20b/artifacts`, root)).toBe("1/a b/artifacts");
    expect(artifactPathOf("s3://bucket/1/abc", root)).toBeNull();
    expect(artifactPathOf("file:///srv/keel/artifacts-other/x", root)).toBeNull();
  });
  it("refuses URIs whose path climbs out of the store", () => {
    expect(errorOf(() => artifactPathOf("mlflow-artifacts:/1/../../etc", root)).code).toBe(
      "INVALID_PARAMETER_VALUE",
    );
    expect(errorOf(() => artifactPathOf(`${root}/%2e%2e/x`, root)).code).toBe("INVALID_PARAMETER_VALUE");
  });
});

describe("sampleSteps", () => {
  it("keeps evenly spaced steps plus each run's end points", () => {
    expect(sampleSteps([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9]], undefined, 3)).toEqual([0, 3, 6, 9]);
    expect(sampleSteps([[0, 1, 2], [5]], undefined, 10)).toEqual([0, 1, 2, 5]);
    expect(sampleSteps([[0, 10, 20, 30]], { start: 5, end: 25 }, 10)).toEqual([10, 20]);
  });
});
