/**
 * Limited-memory BFGS with a strong-Wolfe line search (Nocedal & Wright, Numerical Optimization,
 * algorithms 7.4, 3.5 and 3.6), with SciPy L-BFGS-B's stopping rules so that `gtol`/`ftol` mean
 * what they mean for scikit-learn's `solver="lbfgs"`: stop when max |g_i| <= gtol, or when the
 * relative decrease (f_k - f_k+1) / max(|f_k|, |f_k+1|, 1) <= ftol.
 */

/** Writes the gradient at `x` into `grad` and returns the objective value. */
export type Objective = (x: Float64Array, grad: Float64Array) => number;

/** Options of {@link minimizeLbfgs}. */
export interface LbfgsOptions {
  /** Maximum iterations (SciPy's maxiter). */
  maxIter: number;
  /** Gradient tolerance: max |g_i| (SciPy's gtol; scikit-learn passes `tol`). */
  gtol: number;
  /** Relative objective decrease tolerance (SciPy's default 2.22e-9 = factr 1e7 × eps). */
  ftol?: number;
  /** Correction pairs kept (SciPy's maxcor, 10). */
  memory?: number;
  /** Objective evaluations per line search (SciPy's maxls, 20). */
  maxLineSearch?: number;
  /** Called after each iteration with the objective value. */
  onIteration?: (iteration: number, f: number) => void;
}

/** Result of {@link minimizeLbfgs}. */
export interface LbfgsResult {
  /** The minimizer found. */
  readonly x: Float64Array;
  /** Objective at `x`. */
  readonly f: number;
  /** Iterations run. */
  readonly iterations: number;
  /** Objective/gradient evaluations. */
  readonly evaluations: number;
  /** True when a tolerance was met (false: iteration limit or line search failure). */
  readonly converged: boolean;
}

const C1 = 1e-4;
const C2 = 0.9;
const XTOL = 0.1;

/** Minimizes `fg` from `x0`. */
export function minimizeLbfgs(fg: Objective, x0: Float64Array, options: LbfgsOptions): LbfgsResult {
  const { maxIter, gtol, ftol = 2.220446049250313e-9, memory = 10, maxLineSearch = 20 } = options;
  const n = x0.length;
  const x = x0.slice();
  const g = new Float64Array(n);
  let f = fg(x, g);
  let evaluations = 1;
  const S: Float64Array[] = [];
  const Y: Float64Array[] = [];
  const rho: number[] = [];
  const d = new Float64Array(n);
  const alpha = new Float64Array(memory);
  const ls = new LineSearch(fg, n);
  if (maxAbs(g) <= gtol) return { x, f, iterations: 0, evaluations, converged: true };
  for (let k = 0; k < maxIter; k++) {
    twoLoop(g, S, Y, rho, d, alpha);
    let gd = dot(g, d);
    if (!(gd < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      S.length = Y.length = rho.length = 0;
      for (let i = 0; i < n; i++) d[i] = -g[i]!;
      gd = dot(g, d);
    }
    const t0 = S.length === 0 ? Math.min(1, 1 / Math.sqrt(dot(d, d))) : 1;
    // The step could at best lower f by about -gd·t0: below ftol the ftol test would stop after
    // it anyway, and at that scale rounding in f makes the line search thrash.
    if (-gd * t0 <= ftol * Math.max(Math.abs(f), 1)) {
      return { x, f, iterations: k, evaluations, converged: true };
    }
    const found = ls.search(x, f, g, d, gd, t0, maxLineSearch);
    evaluations += ls.evaluations;
    if (!found) {
      if (S.length > 0) {
        S.length = Y.length = rho.length = 0;
        continue;
      }
      return { x, f, iterations: k + 1, evaluations, converged: false };
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      s[i] = ls.x[i]! - x[i]!;
      y[i] = ls.g[i]! - g[i]!;
    }
    const sy = dot(s, y);
    if (sy > 2.2e-16 * dot(y, y)) {
      if (S.length === memory) {
        S.shift();
        Y.shift();
        rho.shift();
      }
      S.push(s);
      Y.push(y);
      rho.push(1 / sy);
    }
    const fPrev = f;
    f = ls.f;
    x.set(ls.x);
    g.set(ls.g);
    options.onIteration?.(k + 1, f);
    if ((fPrev - f) / Math.max(Math.abs(fPrev), Math.abs(f), 1) <= ftol || maxAbs(g) <= gtol) {
      return { x, f, iterations: k + 1, evaluations, converged: true };
    }
  }
  return { x, f, iterations: maxIter, evaluations, converged: false };
}

// d = -H g by the two-loop recursion, scaled by s'y / y'y of the newest pair.
function twoLoop(
  g: Float64Array,
  S: Float64Array[],
  Y: Float64Array[],
  rho: number[],
  d: Float64Array,
  alpha: Float64Array,
): void {
  const n = g.length;
  for (let i = 0; i < n; i++) d[i] = -g[i]!;
  const m = S.length;
  for (let j = m - 1; j >= 0; j--) {
    const a = rho[j]! * dot(S[j]!, d);
    alpha[j] = a;
    axpy(-a, Y[j]!, d);
  }
  if (m > 0) {
    const gamma = 1 / (rho[m - 1]! * dot(Y[m - 1]!, Y[m - 1]!));
    for (let i = 0; i < n; i++) d[i]! *= gamma;
  }
  for (let j = 0; j < m; j++) {
    const b = rho[j]! * dot(Y[j]!, d);
    axpy(alpha[j]! - b, S[j]!, d);
  }
}

// Strong-Wolfe line search; on success the accepted point is in x, f, g.
class LineSearch {
  readonly x: Float64Array;
  readonly g: Float64Array;
  f = 0;
  evaluations = 0;
  readonly #fg: Objective;
  // The best point so far that satisfies sufficient decrease (the bracket's low end).
  readonly #loX: Float64Array;
  readonly #loG: Float64Array;

  constructor(fg: Objective, n: number) {
    this.#fg = fg;
    this.x = new Float64Array(n);
    this.g = new Float64Array(n);
    this.#loX = new Float64Array(n);
    this.#loG = new Float64Array(n);
  }

  search(
    x0: Float64Array,
    f0: number,
    _g0: Float64Array,
    d: Float64Array,
    dphi0: number,
    t0: number,
    maxEval: number,
  ): boolean {
    this.evaluations = 0;
    const phi = (t: number): [number, number] => {
      for (let i = 0; i < x0.length; i++) this.x[i] = x0[i]! + t * d[i]!;
      this.f = this.#fg(this.x, this.g);
      this.evaluations++;
      return [this.f, dot(this.g, d)];
    };
    let tPrev = 0;
    let fPrev = f0;
    let dPrev = dphi0;
    let t = t0;
    while (this.evaluations < maxEval) {
      const [ft, dt] = phi(t);
      if (!Number.isFinite(ft) || ft > f0 + C1 * t * dphi0 || (this.evaluations > 1 && ft >= fPrev)) {
        return this.#zoom(phi, f0, dphi0, tPrev, fPrev, dPrev, t, ft, dt, maxEval);
      }
      if (Math.abs(dt) <= -C2 * dphi0) return true;
      this.#keepLow();
      if (dt >= 0) return this.#zoom(phi, f0, dphi0, t, ft, dt, tPrev, fPrev, dPrev, maxEval);
      // Still descending steeply: extrapolate with the cubic through the last two points,
      // kept within [1.1 t, 4 t] like MINPACK-2's dcsrch (xtrapl/xtrapu).
      const next = cubicMin(tPrev, fPrev, dPrev, t, ft, dt);
      tPrev = t;
      fPrev = ft;
      dPrev = dt;
      t = Number.isFinite(next) ? Math.min(Math.max(next, 1.1 * t), 4 * t) : 4 * t;
    }
    return this.#acceptLow(tPrev, fPrev);
  }

  #zoom(
    phi: (t: number) => [number, number],
    f0: number,
    dphi0: number,
    lo: number,
    flo: number,
    dlo: number,
    hi: number,
    fhi: number,
    dhi: number,
    maxEval: number,
  ): boolean {
    while (this.evaluations < maxEval) {
      // dcsrch's xtol = 0.1: once the bracket is this narrow, rounding errors dominate.
      if (Math.abs(hi - lo) <= XTOL * Math.max(Math.abs(lo), Math.abs(hi))) break;
      let t = cubicMin(lo, flo, dlo, hi, fhi, dhi);
      const width = Math.abs(hi - lo);
      const a = Math.min(lo, hi);
      const b = Math.max(lo, hi);
      if (!Number.isFinite(t) || t < a + 0.1 * width || t > b - 0.1 * width) t = (lo + hi) / 2;
      const [ft, dt] = phi(t);
      if (!Number.isFinite(ft) || ft > f0 + C1 * t * dphi0 || ft >= flo) {
        hi = t;
        fhi = ft;
        dhi = dt;
      } else {
        if (Math.abs(dt) <= -C2 * dphi0) return true;
        this.#keepLow();
        if (dt * (hi - lo) >= 0) {
          hi = lo;
          fhi = flo;
          dhi = dlo;
        }
        lo = t;
        flo = ft;
        dlo = dt;
      }
    }
    return this.#acceptLow(lo, flo);
  }

  #keepLow(): void {
    this.#loX.set(this.x);
    this.#loG.set(this.g);
  }

  // Out of evaluations or bracket too narrow: take the best decrease found, if any.
  #acceptLow(lo: number, flo: number): boolean {
    if (!(lo > 0)) return false;
    this.x.set(this.#loX);
    this.g.set(this.#loG);
    this.f = flo;
    return true;
  }
}

// Minimizer of the cubic interpolating (a, fa, da) and (b, fb, db).
function cubicMin(a: number, fa: number, da: number, b: number, fb: number, db: number): number {
  const d1 = da + db - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - da * db;
  if (!(disc >= 0) || !Number.isFinite(fb)) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - ((b - a) * (db + d2 - d1)) / (db - da + 2 * d2);
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function axpy(a: number, x: Float64Array, y: Float64Array): void {
  for (let i = 0; i < x.length; i++) y[i]! += a * x[i]!;
}

function maxAbs(a: Float64Array): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]!));
  return m;
}
