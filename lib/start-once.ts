/**
 * A background worker of the app (the job runner, the nightly value-chain job, notification delivery),
 * started once per process: module reloads of `next dev` and repeated calls share it, SIGTERM stops it,
 * and a start that failed is forgotten so the next call may try again.
 */
const started = globalThis as { __quantflowStarted?: Map<string, Promise<unknown>> };

export function startOnce<T extends { start(): Promise<unknown>; stop(): Promise<unknown> }>(key: string, make: () => T): Promise<T> {
  const all = (started.__quantflowStarted ??= new Map());
  let running = all.get(key) as Promise<T> | undefined;
  if (!running) {
    running = (async () => {
      const worker = make();
      await worker.start();
      process.once("SIGTERM", () => void worker.stop().catch(() => {}));
      return worker;
    })();
    all.set(key, running);
    running.catch(() => {
      if (all.get(key) === running) all.delete(key);
    });
  }
  return running;
}

/** The worker started under `key` in this process; undefined when none was, or while its start failed. */
export async function startedWorker<T>(key: string): Promise<T | undefined> {
  const running = started.__quantflowStarted?.get(key) as Promise<T> | undefined;
  return running?.catch(() => undefined);
}
