/** `--name 123` from the command line, a positive whole number, or the fallback. */
export function numberOption(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const value = Number(process.argv[i + 1]);
  if (!Number.isInteger(value) || value <= 0) throw new Error(`--${name} wants a positive whole number`);
  return value;
}

/** Runs a bench's work, says how long it took, and exits 0, or prints the error and exits 1. */
export function runBench(log: (line: string) => void, work: () => Promise<unknown>): void {
  const started = performance.now();
  work()
    .then(() => {
      log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      process.exit(0);
    })
    .catch((error) => {
      console.error(error);
      process.exit(1);
    });
}
