// quadprog 1.6 ships no types. Its arrays are 1-based (a port of the Fortran code): index 0 is unused.
declare module "quadprog" {
  export interface QPResult {
    solution: number[];
    Lagrangian: number[];
    value: number[];
    iterations: number[];
    iact: number[];
    message: string;
  }
  export function solveQP(Dmat: number[][], dvec: number[], Amat: number[][], bvec: number[], meq?: number, factorized?: number[]): QPResult;
}
