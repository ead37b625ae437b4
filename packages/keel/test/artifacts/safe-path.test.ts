import { describe, expect, it } from "vitest";
import { normalizeArtifactPath } from "../../src/artifacts/safe-path.js";

describe("normalizeArtifactPath", () => {
  it.each([
    ["", ""],
    [".", ""],
    ["model", "model"],
    ["model//./model.onnx", "model/model.onnx"],
    ["a/b/", "a/b"],
    ["a\\b\\c.txt", "a/b/c.txt"],
    ["a/%2e%2e/x", "a/%2e%2e/x"],
    ["...", "..."],
    ["a/..b/c..", "a/..b/c.."],
    ["données/モデル 🚀.txt", "données/モデル 🚀.txt"],
  ])("cleans %j to %j", (input, expected) => {
    expect(normalizeArtifactPath(input)).toBe(expected);
  });

  it.each([
    ["../x", '".."'],
    ["a/../../x", '".."'],
    ["a/..", '".."'],
    ["..\\x", '".."'],
    ["a\\..\\..\\x", '".."'],
    ["/etc/passwd", "absolute"],
    ["/", "absolute"],
    ["\\\\server\\share\\x", "absolute"],
    ["C:\\Windows\\x", "absolute"],
    ["c:/x", "absolute"],
    ["D:x", "absolute"],
    ["a\0b", "NUL"],
  ])("rejects %j (%s)", (input, why) => {
    let caught: unknown;
    try {
      normalizeArtifactPath(input);
    } catch (e) {
      caught = e;
    }
    expect(caught).toMatchObject({ code: "INVALID_PARAMETER_VALUE" });
    const message = (caught as Error).message;
    expect(message).toContain(JSON.stringify(input));
    expect(message).toContain(why);
  });
});
