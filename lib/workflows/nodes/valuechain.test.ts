/**
 * The value-chain nodes run by the engine over the chain as stored: demo data seeded into a database of
 * this file's own (iron ore, coking coal, HPG, HSG, CTD; the seed analyses its demo links), read through
 * the run's services (databaseServices: ctx.valueChain). Bad parameters are refused by their zod schemas
 * before anything runs.
 */
import { beforeAll, describe, expect, it } from "vitest";
import { seedDemoData } from "@/lib/demo/seed";
import { scratchDatabaseForFile } from "@/test/scratch-db";
import { runWorkflow } from "../engine";
import { GRAPH_SCHEMA_VERSION, type WorkflowGraph } from "../graph";
import { defaultRegistry } from "../registry";
import { databaseServices } from "../run";
import { starterTemplate } from "../templates";
import type { Alert, TableRows } from "../types";
import { chainLinksNode, parseSignals, propagateNode } from "./valuechain";
import { series, testContext } from "./test-context";

const scratch = scratchDatabaseForFile("wf_valuechain");
const NOW = new Date("2026-11-20T09:00:00Z");
const trigger = { kind: "manual" as const, at: "2026-11-20T16:00:00+07:00" };
let ironOreToHpg = 0;

beforeAll(async () => {
  await seedDemoData(scratch.pool, { now: NOW, symbols: ["IRON_ORE", "COKING_COAL", "HPG", "HSG", "CTD"], intradayDays: 2, demoUser: false });
  const { rows } = await scratch.pool.query(
    `SELECT e.correlation_coeff, e.lead_time_days FROM value_chain_edges e
       JOIN value_chain_nodes s ON s.id = e.source_id JOIN value_chain_nodes t ON t.id = e.target_id
      WHERE s.symbol = 'IRON_ORE' AND t.symbol = 'HPG'`,
  );
  // Analysed by the seed: the planted lead of 3 trading days.
  expect(rows[0]).toMatchObject({ lead_time_days: 3 });
  ironOreToHpg = rows[0].correlation_coeff as number;
});

type N = WorkflowGraph["nodes"][number];
const node = (id: string, type: string, params: Record<string, unknown> = {}): N => ({ id, type, position: { x: 0, y: 0 }, data: { label: id, params } });
const graph = (nodes: N[], edges: [string, string | null, string, string | null][]): WorkflowGraph => ({
  schemaVersion: GRAPH_SCHEMA_VERSION,
  nodes,
  edges: edges.map(([source, sourceHandle, target, targetHandle]) => ({ id: `${source}-${target}-${targetHandle}`, source, sourceHandle, target, targetHandle })),
});
const run = (g: WorkflowGraph) => runWorkflow(g, defaultRegistry, databaseServices(scratch.pool, trigger, undefined, () => NOW));

describe("a workflow with the value-chain nodes, through the engine", () => {
  it("propagates 'iron ore +8 %' downstream: HPG may follow in ~3 trading days, with the alert saying so", async () => {
    const result = await run(
      graph(
        [node("go", "trigger.manual"), node("propagate", "valuechain.propagate", { signals: "IRON_ORE +8", alertTitle: "Iron ore +8 %" })],
        [["go", null, "propagate", "trigger"]],
      ),
    );
    expect(result.status, result.errorMessage ?? "").toBe("success");
    const out = result.nodes.propagate!.output as { moves: TableRows; alert: Alert };
    const hpg = out.moves.find((m) => m.symbol === "HPG")!;
    expect(hpg).toMatchObject({ from: "IRON_ORE", fromMovePct: 8, leadDays: 3, path: "IRON_ORE → HPG", expectedMovePct: Number((8 * ironOreToHpg).toFixed(2)) });
    expect(hpg.message).toMatch(/^HPG may follow in ~3 trading days \(\+\d\.\d %, via IRON_ORE → HPG\)$/);
    // Downstream of HPG too (steel → builders), never back upstream.
    expect(out.moves.map((m) => m.symbol)).not.toContain("COKING_COAL");
    expect(out.moves.every((m) => String(m.path).startsWith("IRON_ORE → "))).toBe(true);
    expect(out.alert).toMatchObject({ title: "Iron ore +8 %", severity: "info", at: "2026-11-20T16:00:00+07:00" });
    expect(out.alert.message).toContain(hpg.message as string);
    expect(out.alert.symbols).toContain("HPG");
  });

  it("lists a symbol's links with their lead and correlation, from a universe", async () => {
    const result = await run(
      graph(
        [node("go", "trigger.manual"), node("steel", "data.universe", { sector: "Steel" }), node("links", "valuechain.links", { direction: "upstream" })],
        [
          ["go", null, "steel", null],
          ["steel", "universe", "links", "universe"],
        ],
      ),
    );
    expect(result.status, result.errorMessage ?? "").toBe("success");
    const out = result.nodes.links!.output as { links: TableRows; linked: { symbols: string[] } };
    const hpgFromOre = out.links.find((l) => l.symbol === "HPG" && l.linked === "IRON_ORE")!;
    expect(hpgFromOre).toMatchObject({ direction: "upstream", leadTimeDays: 3, relationship: "supplies", lane: "Upstream", significant: true });
    expect(hpgFromOre.correlation).toBeCloseTo(ironOreToHpg, 4);
    expect(out.linked.symbols).toEqual(expect.arrayContaining(["COKING_COAL", "HPG", "IRON_ORE"]));
  });

  it("runs the starter template 'Iron ore shock → steel and builders' (prices from the candles node)", async () => {
    const template = starterTemplate("iron-ore-shock")!.graph();
    const result = await run(template);
    expect(result.status, result.errorMessage ?? "").toBe("success");
    // Any move at all sends a signal once the threshold is 0.
    const loose = { ...template, nodes: template.nodes.map((n) => (n.id === "propagate" ? { ...n, data: { ...n.data, params: { ...n.data.params, minMovePct: 0, minExpectedPct: 0 } } } : n)) };
    const looser = await run(loose);
    const out = looser.nodes.propagate!.output as unknown as { moves: TableRows; info: { signals: string[]; barTime: string } };
    expect(out.info.signals.map((s) => s.split(" ")[0])).toEqual(["COKING_COAL", "IRON_ORE"]);
    expect(out.info.barTime).toBe("2026-11-20");
    expect(out.moves.some((m) => m.symbol === "HPG")).toBe(true);
  });

  it("refuses bad parameters (zod) before running anything", async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ signals: "IRON_ORE +8", maxDepth: 4 }, /maxDepth: paths are 1 to 3 links long/],
      [{ signals: "IRON_ORE" }, /signals: "IRON_ORE": write a node and its move in %, e\.g\. IRON_ORE \+8/],
      [{ signals: "IRON_ORE +8; HPG up" }, /signals: "HPG up": write a node/],
      [{ signals: "IRON_ORE +5000" }, /must be between -100 % and \+1000 %/],
      [{ signals: "VN30" }, /"VN30": write a node/],
      [{ signals: [{ node: "IRON_ORE", movePct: 8 }] }, /signals/],
      [{ signals: "IRON_ORE +8", links: "some" }, /links must be significant or all/],
      [{ overBars: 0 }, /overBars/],
    ];
    for (const [params, reason] of cases) {
      const result = await run(graph([node("go", "trigger.manual"), node("propagate", "valuechain.propagate", params)], [["go", null, "propagate", "trigger"]]));
      expect(result.status, JSON.stringify(params)).toBe("failed");
      expect(result.problems?.map((p) => p.message).join("; "), JSON.stringify(params)).toMatch(reason);
      expect(result.nodes).toEqual({});
    }
    // What the builder gives a new node (its schema's defaults) passes the schema again.
    for (const def of [propagateNode, chainLinksNode]) expect(def.params.safeParse(def.params.parse({})).success, def.type).toBe(true);
    const links = await run(graph([node("links", "valuechain.links", { symbols: ["hpg"], direction: "sideways" })], []));
    expect(links.problems?.map((p) => p.message).join("; ")).toMatch(/a symbol is 1–20 capital letters.*direction must be both, upstream or downstream/);
  });

  it("fails the node, naming it, for a signal that is not in the chain or no signal at all", async () => {
    const unknown = await run(graph([node("propagate", "valuechain.propagate", { signals: "FPT +5" })], []));
    expect(unknown.status).toBe("failed");
    expect(unknown.nodes.propagate!.error).toMatch(/FPT is not a node of the value chain/);
    const none = await Promise.resolve()
      .then(() => propagateNode.execute({}, propagateNode.params.parse({}), testContext()))
      .catch((e: Error) => e.message);
    expect(none).toMatch(/no signals: set some/);
    const noSymbols = await Promise.resolve()
      .then(() => chainLinksNode.execute({}, chainLinksNode.params.parse({}), testContext()))
      .catch((e: Error) => e.message);
    expect(noSymbols).toMatch(/no symbols/);
  });
});

describe("propagate's prices input", () => {
  it("takes each connected symbol's move over the last bars; quiet or short series send nothing", async () => {
    const chain = {
      nodes: [
        { id: "a", symbol: "IRON_ORE", name: "Iron ore", sector: "Commodities", nodeType: "Upstream" },
        { id: "b", symbol: "HPG", name: "Hoa Phat", sector: "Steel", nodeType: "Midstream" },
      ],
      edges: [{ id: "ab", sourceId: "a", targetId: "b", relationship: "supplies", correlation: 0.5, leadTimeDays: 3, weight: 0.5, significant: true }],
    };
    const ctx = testContext({}, { valueChain: async () => chain });
    const prices = series({ IRON_ORE: [100, 101, 102, 103, 104, 110], HPG: [20, 20, 20, 20, 20, 20.1], TINY: [5] });
    const out = (await propagateNode.execute({ prices }, propagateNode.params.parse({ overBars: 5, minMovePct: 1 }), ctx)) as {
      moves: TableRows;
      info: { signals: string[]; quiet: string[]; tooShort: string[] };
    };
    expect(out.info).toMatchObject({ signals: ["IRON_ORE +10.0 %"], quiet: ["HPG"], tooShort: ["TINY"] });
    expect(out.moves).toEqual([
      {
        symbol: "HPG",
        name: "Hoa Phat",
        lane: "Midstream",
        from: "IRON_ORE",
        fromMovePct: 10,
        expectedMovePct: 5,
        leadDays: 3,
        pathCorrelation: 0.5,
        path: "IRON_ORE → HPG",
        paths: 1,
        message: "HPG may follow in ~3 trading days (+5.0 %, via IRON_ORE → HPG)",
      },
    ]);
    // A move set in the node wins over the same node's move from the prices.
    const both = (await propagateNode.execute({ prices }, propagateNode.params.parse({ signals: "iron_ore +2" }), ctx)) as { info: { signals: string[] } };
    expect(both.info.signals).toEqual(["iron_ore +2.0 %", "HPG +0.5 %"]);
  });
});

describe("parseSignals", () => {
  it("reads 'node move' pairs separated by ; , or new lines; a name may hold spaces; a minus sign may be typographic", () => {
    expect(parseSignals("IRON_ORE +8; COKING_COAL -3.5 %\nGold bullion −2, VN30 1")).toEqual({
      signals: [
        { node: "IRON_ORE", movePct: 8 },
        { node: "COKING_COAL", movePct: -3.5 },
        { node: "Gold bullion", movePct: -2 },
        { node: "VN30", movePct: 1 },
      ],
      problems: [],
    });
    expect(parseSignals("IRON_ORE+8; ;").problems).toEqual(['"IRON_ORE+8": write a node and its move in %, e.g. IRON_ORE +8']);
  });
});
