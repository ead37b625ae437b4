/** The pure parts of rollouts: the canary rule, the z-test, sticky buckets, policy transitions. */
import { describe, expect, it } from "vitest";
import { decideCanary } from "../../src/serve/endpoints/canary-decision.js";
import { abArm } from "../../src/serve/endpoints/endpoint-router.js";
import { stickyBucket } from "../../src/serve/endpoints/sticky-hash.js";
import { deployChange, initialPolicy, rollbackChange } from "../../src/serve/endpoints/traffic-policy.js";
import { twoProportionTest } from "../../src/serve/endpoints/two-proportion-test.js";

const limits = { steps: [5, 50, 100], intervalMs: 1000, maxErrorRate: 0.01, maxP99Ms: 50, minRequests: 100 };
const v = (version: string) => ({ ref: `models:/m/${version}`, model: "m", version });

describe("canary rule", () => {
  it("advances within the limits, waits for traffic, rolls back on errors, latency or accuracy", () => {
    const ok = { requests: 200, errors: 1, errorRate: 0.005, p99Ms: 12 };
    expect(decideCanary(limits, ok).action).toBe("advance");
    expect(decideCanary(limits, { ...ok, requests: 50, errors: 0, errorRate: 0 }).action).toBe("wait");
    // Few requests, but already more errors than the limit allows at --min-requests.
    expect(decideCanary(limits, { requests: 5, errors: 5, errorRate: 1, p99Ms: 3 }).action).toBe("rollback");
    expect(decideCanary(limits, { ...ok, errors: 4, errorRate: 0.02 }).reasons[0]).toMatch(
      /error rate 0.02 \(4\/200\)/,
    );
    expect(decideCanary(limits, { ...ok, p99Ms: 80 }).reasons[0]).toMatch(/p99 latency 80 ms/);
    const acc = { ...limits, minAccuracyDelta: -0.01 };
    expect(decideCanary(acc, { ...ok, candidateAccuracy: 0.7, stableAccuracy: 0.75 }).action).toBe(
      "rollback",
    );
    expect(decideCanary(acc, { ...ok, candidateAccuracy: 0.745, stableAccuracy: 0.75 }).action).toBe(
      "advance",
    );
    expect(decideCanary(acc, { ...ok, candidateAccuracy: null, stableAccuracy: 0.75 }).action).toBe(
      "advance",
    );
  });
});

describe("two-proportion z-test", () => {
  it("matches scipy on 45/100 vs 60/100", () => {
    const t = twoProportionTest(45, 100, 60, 100);
    expect(t.z).toBeCloseTo(2.1239769762, 6);
    expect(t.pValue).toBeCloseTo(0.0336720689, 6);
    expect(t.significant).toBe(true);
    expect(twoProportionTest(50, 100, 52, 100).significant).toBe(false);
    expect(twoProportionTest(0, 0, 3, 10).pValue).toBe(1);
  });
});

describe("sticky A/B assignment", () => {
  it("gives a key the same arm every time and splits many keys near the target", () => {
    expect(stickyBucket("user-42")).toBe(stickyBucket("user-42"));
    const ab = { split: 30, keyHeader: "x-user-id" };
    const onB = Array.from({ length: 10_000 }, (_, i) => abArm(ab, { "x-user-id": `u${i}` })).filter(
      (a) => a === "B",
    );
    expect(onB.length / 10_000).toBeGreaterThan(0.28);
    expect(onB.length / 10_000).toBeLessThan(0.32);
    // Without the header: random per request.
    expect(abArm(ab, {}, () => 0.1)).toBe("B");
    expect(abArm(ab, {}, () => 0.9)).toBe("A");
  });
});

describe("policy transitions", () => {
  it("refuses a second rollout, a redeploy of the stable and a rollback with nothing to go back to", () => {
    const p0 = initialPolicy(v("1"), "ana").policy;
    expect(() => rollbackChange(p0, "ana")).toThrow(/Nothing to roll back/);
    expect(() => deployChange(p0, v("1"), { strategy: "blue-green" }, "ana")).toThrow(
      /already takes all traffic/,
    );
    const shadow = deployChange(p0, v("2"), { strategy: "shadow" }, "ana").policy;
    expect(() => deployChange(shadow, v("3"), { strategy: "blue-green" }, "ana")).toThrow(/in progress/);
    expect(() =>
      deployChange(p0, v("2"), { strategy: "canary", canary: { ...limits, steps: [50, 20] } }, "ana"),
    ).toThrow(/--steps must be increasing/);
    const bg = deployChange(p0, v("2"), { strategy: "blue-green" }, "ana").policy;
    expect(bg).toEqual({ stable: v("2"), previous: v("1") });
    expect(rollbackChange(bg, "ana").policy).toEqual({ stable: v("1"), previous: v("2") });
  });
});
