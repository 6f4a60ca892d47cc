/**
 * A workflow without a trigger or without an output is not ready to run: the builder says what to add,
 * and a manual run of it is refused before anything is stored (no run row, no job).
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { beforeAll, describe, expect, it } from "vitest";
import * as schema from "@/db/schema";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { missingForRun, notReadyText, NotReadyToRunError } from "./readiness";
import { queueRun } from "./run";
import { STARTER_TEMPLATES } from "./templates";

const node = (id: string, type: string) => ({ id, type, position: { x: 0, y: 0 }, data: { params: {} } });
const graph = (...nodes: ReturnType<typeof node>[]) => ({ schemaVersion: 1, nodes, edges: [] });

describe("missingForRun", () => {
  it("asks for a trigger and an output, naming the nodes that are one", () => {
    expect(missingForRun(graph())).toEqual([
      "Add a trigger (Manual trigger or Schedule): a run starts from one.",
      "Add an output (Signal list, Alert, Allocate or Save finding): it holds the run's result.",
    ]);
    expect(missingForRun(graph(node("t", "trigger.manual"), node("c", "data.candles")))).toEqual(["Add an output (Signal list, Alert, Allocate or Save finding): it holds the run's result."]);
    expect(missingForRun(graph(node("c", "data.candles"), node("a", "output.alert")))).toEqual(["Add a trigger (Manual trigger or Schedule): a run starts from one."]);
  });

  it("is satisfied by any trigger with any output; unknown types and odd graphs count as nothing", () => {
    expect(missingForRun(graph(node("t", "trigger.schedule"), node("s", "output.signals")))).toEqual([]);
    expect(notReadyText(graph(node("t", "trigger.manual"), node("s", "output.alert")))).toBeUndefined();
    expect(missingForRun(graph(node("t", "trigger.nope"), node("s", "output.nope")))).toHaveLength(2);
    for (const odd of [{}, null, "x", { nodes: "x" }, { nodes: [null, 3, { type: 1 }] }]) expect(missingForRun(odd)).toHaveLength(2);
    expect(notReadyText(graph())).toMatch(/^Not ready to run\. Add a trigger .* Add an output /);
  });
});

describe("the starter templates", () => {
  it("are each ready to run as they come", () => {
    for (const t of STARTER_TEMPLATES) expect(missingForRun(t.graph()), t.name).toEqual([]);
  });

  it("count a node that raises an alert as holding the run's result", () => {
    expect(missingForRun(graph(node("t", "trigger.manual"), node("p", "valuechain.propagate")))).toEqual([]);
  });
});

describe("a manual run of a workflow that is not ready", () => {
  const scratch = scratchDatabaseForFile("workflow_readiness");
  let userId = "";
  beforeAll(async () => {
    userId = (await scratch.pool.query<{ id: string }>("INSERT INTO users (email, password_hash) VALUES ('ready@example.com', 'x') RETURNING id")).rows[0]!.id;
  });
  const workflow = async (g: unknown) =>
    (await scratch.pool.query<{ id: string }>("INSERT INTO workflows (user_id, name, json_graph) VALUES ($1, $2, $3) RETURNING id", [userId, `wf ${Math.random()}`, JSON.stringify(g)])).rows[0]!.id;
  const stored = async () =>
    (await scratch.pool.query<{ runs: number; jobs: number }>("SELECT (SELECT count(*)::int FROM workflow_execution_logs) AS runs, (SELECT count(*)::int FROM background_jobs) AS jobs")).rows[0]!;

  it("is refused with what to add, and stores no run and no job", async () => {
    const db = drizzle(scratch.pool, { schema });
    for (const g of [graph(), graph(node("t", "trigger.manual")), graph(node("s", "output.signals"))]) {
      const id = await workflow(g);
      const error = await queueRun(db, scratch.pool, userId, id, { maxQueued: 5 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(NotReadyToRunError);
      expect((error as Error).message).toMatch(/^Not ready to run\. Add an? (trigger|output)/);
    }
    expect(await stored()).toEqual({ runs: 0, jobs: 0 });
  });

  it("is queued once it has a trigger and an output", async () => {
    const db = drizzle(scratch.pool, { schema });
    const id = await workflow(graph(node("t", "trigger.manual"), node("s", "output.signals")));
    expect(await queueRun(db, scratch.pool, userId, id, { maxQueued: 5 })).toMatchObject({ runId: expect.any(String) });
    expect(await stored()).toEqual({ runs: 1, jobs: 1 });
  });
});
