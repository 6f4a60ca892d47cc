/**
 * Hierarchical risk parity (López de Prado 2016), as PyPortfolioOpt's HRPOpt computes it:
 * distance √((1 − ρ)/2) clipped to [0, 1]; single-linkage clustering (ml-hclust's agnes); the leaves in
 * the order of scipy's `to_tree(linkage).pre_order()` (quasi-diagonalisation); recursive bisection of
 * that list into halves, each half weighted by the inverse of its inverse-variance portfolio's variance.
 */
import type { Cluster } from "ml-hclust";
import { agnes } from "ml-hclust";
import type { SquareMatrix } from "./mean-variance";

export function hrpDistance(cov: SquareMatrix): number[][] {
  return cov.map((row, i) =>
    row.map((c, j) => {
      if (i === j) return 0;
      const corr = c / Math.sqrt((cov[i]?.[i] as number) * (cov[j]?.[j] as number));
      return Math.sqrt(Math.min(1, Math.max(0, (1 - corr) / 2)));
    }),
  );
}

/**
 * scipy numbers the leaves 0..n−1 and each merge n + k in order of height, and puts the smaller id on
 * the left; HRP's bisection depends on that order, so the ml-hclust tree is re-ordered the same way.
 */
export function quasiDiagonalOrder(distance: number[][]): number[] {
  const n = distance.length;
  if (n === 1) return [0];
  const root = agnes(distance, { method: "single", isDistanceMatrix: true });
  const merges: Cluster[] = [];
  root.traverse((node) => {
    if (!node.isLeaf) merges.push(node);
  });
  // Single linkage merges in order of height. Equal heights (rare with real returns) may be numbered
  // differently from scipy, which orders them by its spanning-tree edges.
  const ranked = [...merges].sort((a, b) => a.height - b.height);
  const id = new Map<Cluster, number>(ranked.map((node, k) => [node, n + k]));
  const key = (node: Cluster) => (node.isLeaf ? node.index : (id.get(node) as number));
  const order: number[] = [];
  const visit = (node: Cluster) => {
    if (node.isLeaf) {
      order.push(node.index);
      return;
    }
    [...node.children].sort((a, b) => key(a) - key(b)).forEach(visit);
  };
  visit(root);
  return order;
}

function inverseVarianceClusterVariance(cov: SquareMatrix, members: readonly number[]): number {
  const ivp = members.map((i) => 1 / (cov[i]?.[i] as number));
  const sum = ivp.reduce((a, b) => a + b, 0);
  let v = 0;
  members.forEach((i, a) => {
    members.forEach((j, b) => {
      v += ((ivp[a] as number) / sum) * (cov[i]?.[j] as number) * ((ivp[b] as number) / sum);
    });
  });
  return v;
}

export function hierarchicalRiskParity(cov: SquareMatrix): number[] {
  const order = quasiDiagonalOrder(hrpDistance(cov));
  const w = new Array<number>(cov.length).fill(1);
  let clusters: number[][] = [order];
  while (clusters.length > 0) {
    clusters = clusters.filter((c) => c.length > 1).flatMap((c) => [c.slice(0, c.length >> 1), c.slice(c.length >> 1)]);
    for (let k = 0; k < clusters.length; k += 2) {
      const first = clusters[k] as number[];
      const second = clusters[k + 1] as number[];
      const v1 = inverseVarianceClusterVariance(cov, first);
      const v2 = inverseVarianceClusterVariance(cov, second);
      const alpha = 1 - v1 / (v1 + v2);
      for (const i of first) w[i] = (w[i] as number) * alpha;
      for (const i of second) w[i] = (w[i] as number) * (1 - alpha);
    }
  }
  return w;
}
