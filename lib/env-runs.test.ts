/** The run result budget and run retention settings (lib/env.ts): defaults, accepted values, clear refusals. */
import { describe, expect, it } from "vitest";
import { EnvError, parseEnv } from "./env";

type RunVar = "QUANTFLOW_RUN_RESULT_KB" | "QUANTFLOW_RUN_RETENTION_DAYS" | "QUANTFLOW_RUN_RETENTION_COUNT";

describe("run result budget and retention settings", () => {
  it("default to 64 kB, 30 days and 1000 runs a workflow", () => {
    const e = parseEnv({});
    expect([e.QUANTFLOW_RUN_RESULT_KB, e.QUANTFLOW_RUN_RETENTION_DAYS, e.QUANTFLOW_RUN_RETENTION_COUNT]).toEqual([64, 30, 1000]);
  });

  it("take whole numbers in range; 0 turns a retention rule off", () => {
    const e = parseEnv({ QUANTFLOW_RUN_RESULT_KB: "256", QUANTFLOW_RUN_RETENTION_DAYS: "0", QUANTFLOW_RUN_RETENTION_COUNT: "0" });
    expect([e.QUANTFLOW_RUN_RESULT_KB, e.QUANTFLOW_RUN_RETENTION_DAYS, e.QUANTFLOW_RUN_RETENTION_COUNT]).toEqual([256, 0, 0]);
  });

  const bad: [RunVar, string, string][] = [
    ["QUANTFLOW_RUN_RESULT_KB", "64kB", "QUANTFLOW_RUN_RESULT_KB: must be a whole number of kB"],
    ["QUANTFLOW_RUN_RESULT_KB", "8", "QUANTFLOW_RUN_RESULT_KB: must be 16 to 16384 kB"],
    ["QUANTFLOW_RUN_RESULT_KB", "1.5", "QUANTFLOW_RUN_RESULT_KB: must be a whole number of kB"],
    ["QUANTFLOW_RUN_RETENTION_DAYS", "-1", "QUANTFLOW_RUN_RETENTION_DAYS: must be 0 to 36500 days"],
    ["QUANTFLOW_RUN_RETENTION_DAYS", "thirty", "QUANTFLOW_RUN_RETENTION_DAYS: must be a whole number of days"],
    ["QUANTFLOW_RUN_RETENTION_COUNT", "2.5", "QUANTFLOW_RUN_RETENTION_COUNT: must be a whole number of runs"],
    ["QUANTFLOW_RUN_RETENTION_COUNT", "99999999", "QUANTFLOW_RUN_RETENTION_COUNT: must be 0 to 10000000 runs"],
  ];
  for (const [name, value, message] of bad) {
    it(`refuses ${name}=${value} naming the variable and the rule`, () => {
      expect(() => parseEnv({ [name]: value })).toThrow(EnvError);
      expect(() => parseEnv({ [name]: value })).toThrow(message);
    });
  }
});
