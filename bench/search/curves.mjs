// Anytime curves of a search: points `{t, n, best}` in completion order, where `best` is the best
// full-budget CV score after the first n trials ended (null while no full-budget trial has ended).

/** The peer's trials (completion order) as a curve; only full-resource trials set the best. */
export function peerCurve(reply) {
  let best = null;
  return reply.trials.map((tr, i) => {
    if (tr.resources >= reply.max_resources && tr.score !== null && (best === null || tr.score > best)) {
      best = tr.score;
    }
    return { t: tr.t, n: i + 1, best };
  });
}

/** Seconds until the curve's best reaches `target - tol`, or null when it never does. */
export function timeToReach(curve, target, tol) {
  if (target === null) return null;
  return curve.find((p) => p.best !== null && p.best >= target - tol)?.t ?? null;
}

/** The best score after each fraction of the wall time, and after each fraction of the trials. */
export function anytime(curve, wallS, fractions) {
  const bestWhere = (keep) => curve.filter(keep).at(-1)?.best ?? null;
  const total = curve.length;
  return {
    time: fractions.map((f) => bestWhere((p) => p.t <= f * wallS + 1e-9)),
    trials: fractions.map((f) => bestWhere((p) => p.n <= Math.floor(f * total + 1e-9))),
  };
}
