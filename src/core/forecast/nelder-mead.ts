/**
 * Nelder–Mead simplex minimisation (Nelder & Mead 1965; the standard coefficients
 * reflection 1, expansion 2, contraction 0.5, shrink 0.5 as in Lagarias et al. 1998).
 * Derivative-free, deterministic; used to fit smoothing parameters by least squares.
 */

export interface MinimiseResult {
  x: number[];
  value: number;
  iterations: number;
}

/**
 * Minimises `f` from `start` with initial steps `step` per coordinate.
 * @example minimiseNelderMead(([x, y]) => (x - 1) ** 2 + (y + 2) ** 2, [0, 0]).x // ≈ [1, -2]
 */
export function minimiseNelderMead(f: (x: readonly number[]) => number, start: readonly number[], options: { step?: number; maxIterations?: number; tolerance?: number } = {}): MinimiseResult {
  const n = start.length;
  const step = options.step ?? 0.5;
  const maxIterations = options.maxIterations ?? 200 * n;
  const tolerance = options.tolerance ?? 1e-10;
  const simplex: number[][] = [[...start]];
  for (let i = 0; i < n; i += 1) {
    const p = [...start];
    p[i] = (p[i] ?? 0) + step;
    simplex.push(p);
  }
  let values = simplex.map((p) => f(p));
  let iterations = 0;
  const order = (): void => {
    const idx = simplex.map((_, i) => i).sort((a, b) => (values[a] ?? 0) - (values[b] ?? 0));
    const s = idx.map((i) => simplex[i] as number[]);
    const v = idx.map((i) => values[i] as number);
    simplex.splice(0, simplex.length, ...s);
    values = v;
  };
  const combine = (a: readonly number[], b: readonly number[], t: number): number[] => a.map((ai, i) => ai + t * ((b[i] ?? 0) - ai));
  for (; iterations < maxIterations; iterations += 1) {
    order();
    const best = values[0] ?? 0;
    const worst = values[n] ?? 0;
    if (Math.abs(worst - best) <= tolerance * (Math.abs(best) + tolerance)) break;
    const centroid = new Array<number>(n).fill(0);
    for (let i = 0; i < n; i += 1) for (let j = 0; j < n; j += 1) centroid[j] = (centroid[j] ?? 0) + (simplex[i]?.[j] ?? 0) / n;
    const worstPoint = simplex[n] as number[];
    const reflected = combine(centroid, worstPoint, -1);
    const fr = f(reflected);
    if (fr < best) {
      const expanded = combine(centroid, worstPoint, -2);
      const fe = f(expanded);
      if (fe < fr) {
        simplex[n] = expanded;
        values[n] = fe;
      } else {
        simplex[n] = reflected;
        values[n] = fr;
      }
      continue;
    }
    if (fr < (values[n - 1] ?? 0)) {
      simplex[n] = reflected;
      values[n] = fr;
      continue;
    }
    const outside = fr < worst;
    const contracted = outside ? combine(centroid, reflected, 0.5) : combine(centroid, worstPoint, 0.5);
    const fc = f(contracted);
    if (fc < (outside ? fr : worst)) {
      simplex[n] = contracted;
      values[n] = fc;
      continue;
    }
    const bestPoint = simplex[0] as number[];
    for (let i = 1; i <= n; i += 1) {
      simplex[i] = combine(bestPoint, simplex[i] as number[], 0.5);
      values[i] = f(simplex[i] as number[]);
    }
  }
  order();
  return { x: simplex[0] as number[], value: values[0] ?? Number.NaN, iterations };
}
