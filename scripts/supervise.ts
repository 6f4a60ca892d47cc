/**
 * Keeps one child process running (`npm start`'s web server): when it exits on its own it is started
 * again after a backoff that doubles from `initialMs` up to `maxMs`, and goes back to `initialMs` once a
 * run has lasted `stableMs`. Whatever else the parent runs (the embedded PostgreSQL) is left alone.
 * stop() ends it for good: SIGTERM, then SIGKILL after `killAfterMs`, and no restart.
 */
import type { ChildProcess } from "node:child_process";

export interface Backoff {
  initialMs: number;
  maxMs: number;
  /** A run this long counts as stable: the next crash waits `initialMs` again. */
  stableMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 1_000, maxMs: 30_000, stableMs: 60_000 };

export interface SuperviseOptions {
  /** Starts the child: the command is injectable, so a test can supervise a stand-in. */
  start: () => ChildProcess;
  backoff?: Backoff;
  log?: (line: string) => void;
  /** Asked when the child exits on its own; false ends the supervision (onGiveUp is called). */
  shouldRestart?: (exit: ChildExit) => boolean;
  onGiveUp?: (exit: ChildExit) => void;
  /** Each start, the first included (e.g. to wait for the server to answer). */
  onStart?: (proc: ChildProcess, attempt: number) => void;
  killAfterMs?: number;
}

export interface ChildExit {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** How long that run lasted. */
  ranMs: number;
}

export interface Supervisor {
  /** The running child, if any (undefined while waiting to restart, and after stop()). */
  readonly current: ChildProcess | undefined;
  /** Restarts so far. */
  readonly restarts: number;
  stop(): Promise<void>;
}

export function supervise(opts: SuperviseOptions): Supervisor {
  const backoff = opts.backoff ?? DEFAULT_BACKOFF;
  const log = opts.log ?? (() => {});
  let current: ChildProcess | undefined;
  let restarts = 0;
  let delay = backoff.initialMs;
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const launch = () => {
    timer = undefined;
    if (stopped) return;
    const startedAt = Date.now();
    const proc = opts.start();
    current = proc;
    proc.once("exit", (code, signal) => {
      if (current === proc) current = undefined;
      if (stopped) return;
      const exit: ChildExit = { code, signal, ranMs: Date.now() - startedAt };
      if (opts.shouldRestart && !opts.shouldRestart(exit)) {
        stopped = true;
        opts.onGiveUp?.(exit);
        return;
      }
      if (exit.ranMs >= backoff.stableMs) delay = backoff.initialMs;
      log(`The web server exited (${code ?? signal}); restarting it in ${formatDelay(delay)}.`);
      timer = setTimeout(() => {
        restarts += 1;
        launch();
      }, delay);
      delay = Math.min(delay * 2, backoff.maxMs);
    });
    opts.onStart?.(proc, restarts);
  };
  launch();

  return {
    get current() {
      return current;
    },
    get restarts() {
      return restarts;
    },
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = undefined;
      const proc = current;
      if (!proc || proc.exitCode !== null || proc.signalCode !== null) return;
      proc.kill("SIGTERM");
      if (!(await waitForExit(proc, opts.killAfterMs ?? 10_000))) {
        proc.kill("SIGKILL");
        await waitForExit(proc, 5_000);
      }
    },
  };
}

export function waitForExit(proc: ChildProcess, ms: number): Promise<boolean> {
  if (proc.exitCode !== null || proc.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    proc.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

function formatDelay(ms: number): string {
  return ms < 1_000 ? `${ms} ms` : `${+(ms / 1_000).toFixed(1)} s`;
}
