import { describe, expect, it } from "vitest";
import { isKeelError } from "../../src/errors.js";
import type { SearchSpace } from "../../src/search/space/types.js";
import { validateSpace } from "../../src/search/space/validate-space.js";

function errorOf(space: unknown): string {
  try {
    validateSpace(space as SearchSpace);
  } catch (e) {
    expect(isKeelError(e) && e.code).toBe("INVALID_PARAMETER_VALUE");
    return (e as Error).message;
  }
  throw new Error("expected validateSpace to throw");
}

describe("validateSpace", () => {
  it("accepts a well-formed conditional space and returns it", () => {
    const space: SearchSpace = {
      params: [
        { name: "es", dist: { kind: "choice", values: [true, false] } },
        { name: "n", dist: { kind: "int", low: 5, high: 30, step: 5 }, when: { es: [true] } },
        { name: "lr", dist: { kind: "uniform", low: 0.01, high: 0.3, log: true } },
        { name: "k", dist: { kind: "int", low: 1, high: 50, log: true } },
        { name: "fixed", dist: { kind: "uniform", low: 2, high: 2 } },
      ],
    };
    expect(validateSpace(space)).toBe(space);
  });

  it("rejects an unknown distribution kind, naming the param", () => {
    expect(errorOf({ params: [{ name: "a", dist: { kind: "normal", low: 0, high: 1 } }] })).toMatch(
      /'a'.*unknown distribution kind "normal"/,
    );
  });

  it("rejects low > high", () => {
    expect(errorOf({ params: [{ name: "lr", dist: { kind: "uniform", low: 1, high: 0.1 } }] })).toMatch(
      /'lr'.*low \(1\) is greater than high \(0.1\)/,
    );
  });

  it("rejects a log scale with low <= 0", () => {
    expect(
      errorOf({ params: [{ name: "l2", dist: { kind: "uniform", low: 0, high: 1, log: true } }] }),
    ).toMatch(/'l2'.*log scale needs low > 0/);
    expect(errorOf({ params: [{ name: "k", dist: { kind: "int", low: -1, high: 5, log: true } }] })).toMatch(
      /'k'/,
    );
  });

  it("rejects empty or duplicated choices and non-scalar values", () => {
    expect(errorOf({ params: [{ name: "w", dist: { kind: "choice", values: [] } }] })).toMatch(
      /'w'.*non-empty/,
    );
    expect(errorOf({ params: [{ name: "w", dist: { kind: "choice", values: ["a", "a"] } }] })).toMatch(
      /listed twice/,
    );
    expect(errorOf({ params: [{ name: "w", dist: { kind: "choice", values: [null] } }] })).toMatch(
      /'w'.*null/,
    );
  });

  it("rejects non-integer int bounds, a bad step and log with step", () => {
    expect(errorOf({ params: [{ name: "d", dist: { kind: "int", low: 1.5, high: 4 } }] })).toMatch(
      /'d'.*integers/,
    );
    expect(errorOf({ params: [{ name: "d", dist: { kind: "int", low: 1, high: 4, step: 0 } }] })).toMatch(
      /step/,
    );
    expect(
      errorOf({ params: [{ name: "d", dist: { kind: "int", low: 1, high: 9, step: 2, log: true } }] }),
    ).toMatch(/'d'.*log-scale int cannot have step 2/);
  });

  it("rejects non-finite bounds", () => {
    expect(errorOf({ params: [{ name: "x", dist: { kind: "uniform", low: 0, high: Infinity } }] })).toMatch(
      /'x'.*finite/,
    );
  });

  it("rejects duplicate names", () => {
    const dist = { kind: "uniform", low: 0, high: 1 };
    expect(
      errorOf({
        params: [
          { name: "x", dist },
          { name: "x", dist },
        ],
      }),
    ).toMatch(/'x' is listed twice/);
  });

  it("rejects `when` naming an unknown param, a later param, or a value the parent never takes", () => {
    const child = { name: "n", dist: { kind: "int", low: 1, high: 3 } };
    const parent = { name: "es", dist: { kind: "choice", values: [true, false] } };
    expect(errorOf({ params: [parent, { ...child, when: { nope: [true] } }] })).toMatch(
      /'n'.*unknown param 'nope'; use one of es/,
    );
    expect(errorOf({ params: [{ ...child, when: { es: [true] } }, parent] })).toMatch(
      /'n'.*'es', which is listed after it/,
    );
    expect(errorOf({ params: [parent, { ...child, when: { es: ["true"] } }] })).toMatch(
      /'n'.*"true".*never takes/,
    );
    expect(errorOf({ params: [parent, { ...child, when: { es: [] } }] })).toMatch(/non-empty list/);
  });

  it("rejects a space without a params list", () => {
    expect(errorOf({})).toMatch(/params/);
  });
});
