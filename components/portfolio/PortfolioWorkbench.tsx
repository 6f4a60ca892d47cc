"use client";

/**
 * The portfolio page: a universe and a method with its constraints → Generate (POST
 * /api/portfolio/optimize) → weights, metrics, risk contributions, correlations and the efficient
 * frontier; orders in whole lots; Save, the saved list, Open, Compare and Delete.
 */
import { useId, useState } from "react";
import { deleteSaved, listSaved, METHODS, methodLabel, openSaved, optimize, PortfolioApiError, saveAllocation, type Method, type OptimizeAnswer, type OptimizeRequest, type SavedAllocation, type SavedSummary } from "./api";
import { BacktestPanel } from "./BacktestPanel";
import { CorrelationHeatmap, FrontierChart, WeightBars } from "./charts";
import { formatPct, formatRatio } from "./format";
import { OrdersPanel } from "./OrdersPanel";
import { CompareView, SavedList } from "./SavedAllocations";
import { UniversePicker, type SymbolGroup } from "./UniversePicker";
import styles from "./portfolio.module.css";

/** What the error codes of lib/analytics/portfolio mean, as the heading above the route's own message. */
const CAUSES: Record<string, string> = {
  invalid_request: "Check the settings",
  invalid_settings: "Check the settings",
  unknown_symbol: "A symbol cannot be used",
  too_few_symbols: "Too few symbols with enough history",
  singular_covariance: "Two or more symbols move as one",
  infeasible_bounds: "The weight limits cannot be met",
  target_return_unreachable: "The target return is out of reach",
  target_volatility_unreachable: "The target volatility is out of reach",
  no_return_above_risk_free: "No portfolio beats the risk-free rate",
  solver_failed: "The solver failed",
};

type Shown = { kind: "generated"; answer: OptimizeAnswer; request: OptimizeRequest } | { kind: "saved"; saved: SavedAllocation };

interface FormState {
  method: Method;
  lookbackDays: string;
  riskFreeRate: string;
  minWeight: string;
  maxWeight: string;
  targetReturn: string;
  targetVolatility: string;
}

const pctOrUndefined = (text: string): number | undefined | null => {
  if (text.trim() === "") return undefined;
  const n = Number(text.replace(",", ".").replace("%", "").trim());
  return Number.isFinite(n) ? n / 100 : null;
};

export function PortfolioWorkbench({ sectors, lanes, initialSaved, defaultRiskFreeRate }: { sectors: SymbolGroup[]; lanes: SymbolGroup[]; initialSaved: SavedSummary[]; defaultRiskFreeRate: number }) {
  const id = useId();
  const [symbols, setSymbols] = useState<string[]>([]);
  const [form, setForm] = useState<FormState>({ method: "max_sharpe", lookbackDays: "252", riskFreeRate: "", minWeight: "", maxWeight: "", targetReturn: "", targetVolatility: "" });
  const [status, setStatus] = useState<"idle" | "loading">("idle");
  const [error, setError] = useState<{ title: string; message: string } | null>(null);
  const [shown, setShown] = useState<Shown | null>(null);
  const [saved, setSaved] = useState<SavedSummary[]>(initialSaved);
  const [saveName, setSaveName] = useState("");
  const [saveNote, setSaveNote] = useState<{ ok: boolean; text: string } | null>(null);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [compare, setCompare] = useState<[SavedAllocation, SavedAllocation] | null>(null);
  const [listError, setListError] = useState<string | null>(null);

  const set = (k: keyof FormState) => (e: { target: { value: string } }) => setForm((f) => ({ ...f, [k]: e.target.value }));

  function request(): OptimizeRequest | string {
    if (symbols.length < 2) return "Add at least two symbols to the universe.";
    const lookbackDays = Number(form.lookbackDays);
    if (!Number.isInteger(lookbackDays)) return "The lookback must be a whole number of trading days.";
    const fields = { riskFreeRate: pctOrUndefined(form.riskFreeRate), minWeight: pctOrUndefined(form.minWeight), maxWeight: pctOrUndefined(form.maxWeight), targetReturn: pctOrUndefined(form.targetReturn), targetVolatility: pctOrUndefined(form.targetVolatility) };
    const bad = Object.entries(fields).find(([, v]) => v === null);
    if (bad) return `${bad[0]} must be a percentage, e.g. 12.5.`;
    const req: OptimizeRequest = { symbols, method: form.method, lookbackDays };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined && v !== null) (req as unknown as Record<string, number>)[k] = v;
    if (form.method !== "efficient_return") delete req.targetReturn;
    if (form.method !== "efficient_risk") delete req.targetVolatility;
    return req;
  }

  function explain(e: unknown) {
    if (e instanceof PortfolioApiError) setError({ title: CAUSES[e.code ?? ""] ?? "The allocation could not be generated", message: e.message });
    else setError({ title: "The allocation could not be generated", message: "An unexpected error happened; try again." });
  }

  async function generate() {
    const req = request();
    if (typeof req === "string") {
      setError({ title: "Check the settings", message: req });
      return;
    }
    setStatus("loading");
    setError(null);
    setSaveNote(null);
    try {
      setShown({ kind: "generated", answer: await optimize(req), request: req });
    } catch (e) {
      setShown(null);
      explain(e);
    } finally {
      setStatus("idle");
    }
  }

  async function save() {
    if (shown?.kind !== "generated") return;
    setSaveNote(null);
    try {
      const s = await saveAllocation({ ...shown.request, name: saveName.trim() || undefined });
      setSaved((list) => [s, ...list]);
      setSaveName("");
      setSaveNote({ ok: true, text: `Saved as “${s.name}”.` });
    } catch (e) {
      setSaveNote({ ok: false, text: e instanceof PortfolioApiError ? e.message : "It could not be saved." });
    }
  }

  async function open(sid: string) {
    setListError(null);
    try {
      setShown({ kind: "saved", saved: await openSaved(sid) });
      setCompare(null);
      document.getElementById(`${id}-result`)?.focus();
    } catch (e) {
      setListError(e instanceof Error ? e.message : "It could not be opened.");
    }
  }

  async function compareTwo([a, b]: [string, string]) {
    setListError(null);
    try {
      setCompare(await Promise.all([openSaved(a), openSaved(b)]));
    } catch (e) {
      setListError(e instanceof Error ? e.message : "They could not be opened.");
    }
  }

  async function remove(sid: string) {
    setBusyId(sid);
    setListError(null);
    try {
      await deleteSaved(sid);
      setSaved(await listSaved());
      if (shown?.kind === "saved" && shown.saved.id === sid) setShown(null);
      if (compare?.some((c) => c.id === sid)) setCompare(null);
    } catch (e) {
      setListError(e instanceof Error ? e.message : "It could not be deleted.");
    } finally {
      setBusyId(null);
    }
  }

  function reuse(s: SavedAllocation) {
    const p = s.params;
    const pct = (v: number | undefined) => (v === undefined ? "" : String(Math.round(v * 10000) / 100));
    setSymbols(p.symbols);
    setForm({ method: p.method, lookbackDays: String(p.lookbackDays), riskFreeRate: pct(p.riskFreeRate), minWeight: pct(p.minWeight), maxWeight: pct(p.maxWeight), targetReturn: pct(p.targetReturn), targetVolatility: pct(p.targetVolatility) });
  }

  return (
    <div className={styles.page}>
      <form
        className={styles.card}
        aria-label="Allocation settings"
        onSubmit={(e) => {
          e.preventDefault();
          void generate();
        }}
      >
        <UniversePicker symbols={symbols} onChange={setSymbols} sectors={sectors} lanes={lanes} />
        <fieldset className={styles.fieldset}>
          <legend>Method and constraints</legend>
          <div className={styles.settingsGrid}>
            <div className={styles.field}>
              <label htmlFor={`${id}-method`}>Method</label>
              <select id={`${id}-method`} className={styles.input} value={form.method} onChange={set("method")}>
                {METHODS.map(([k, label]) => (
                  <option key={k} value={k}>
                    {label}
                  </option>
                ))}
              </select>
            </div>
            <div className={styles.field}>
              <label htmlFor={`${id}-lookback`}>Lookback (trading days)</label>
              <input id={`${id}-lookback`} className={`${styles.input} ${styles.num}`} inputMode="numeric" value={form.lookbackDays} onChange={set("lookbackDays")} />
            </div>
            <div className={styles.field}>
              <label htmlFor={`${id}-rf`}>Risk-free rate (%/year)</label>
              <input id={`${id}-rf`} className={`${styles.input} ${styles.num}`} inputMode="decimal" value={form.riskFreeRate} placeholder={`${(defaultRiskFreeRate * 100).toFixed(2)} (VN 10-year bond)`} onChange={set("riskFreeRate")} />
            </div>
            <div className={styles.field}>
              <label htmlFor={`${id}-min`}>Minimum weight (%)</label>
              <input id={`${id}-min`} className={`${styles.input} ${styles.num}`} inputMode="decimal" value={form.minWeight} placeholder="0" onChange={set("minWeight")} />
            </div>
            <div className={styles.field}>
              <label htmlFor={`${id}-max`}>Maximum weight (%)</label>
              <input id={`${id}-max`} className={`${styles.input} ${styles.num}`} inputMode="decimal" value={form.maxWeight} placeholder="100" onChange={set("maxWeight")} />
            </div>
            {form.method === "efficient_return" ? (
              <div className={styles.field}>
                <label htmlFor={`${id}-tr`}>Target return (%/year)</label>
                <input id={`${id}-tr`} className={`${styles.input} ${styles.num}`} inputMode="decimal" value={form.targetReturn} onChange={set("targetReturn")} required />
              </div>
            ) : null}
            {form.method === "efficient_risk" ? (
              <div className={styles.field}>
                <label htmlFor={`${id}-tv`}>Target volatility (%/year)</label>
                <input id={`${id}-tv`} className={`${styles.input} ${styles.num}`} inputMode="decimal" value={form.targetVolatility} onChange={set("targetVolatility")} required />
              </div>
            ) : null}
          </div>
        </fieldset>
        <div className={styles.inline}>
          <button type="submit" className={styles.primary} disabled={status === "loading"}>
            {status === "loading" ? "Generating…" : "Generate"}
          </button>
          <span className={styles.hint}>Daily closes over the lookback; PyPortfolioOpt&apos;s estimators (annualised over 252 days).</span>
        </div>
        {error ? (
          <div role="alert" className={styles.errorBox} data-testid="generate-error">
            <strong>{error.title}.</strong> {error.message}
          </div>
        ) : null}
      </form>

      <div id={`${id}-result`} tabIndex={-1} className={styles.result} aria-live="polite" aria-busy={status === "loading"}>
        {status === "loading" ? <ResultSkeleton /> : shown ? <ResultView shown={shown} onReuse={reuse} /> : (
          <section className={`${styles.card} ${styles.empty}`}>
            <h2 className={styles.cardTitle}>No allocation yet</h2>
            <p className={styles.muted}>Add stocks to the universe (a search, a sector or a value-chain lane), choose a method and press Generate. Open a saved allocation below to see it again.</p>
          </section>
        )}
        {status !== "loading" && shown?.kind === "generated" ? (
          <section className={styles.card} aria-label="Save this allocation">
            <form
              className={styles.inline}
              onSubmit={(e) => {
                e.preventDefault();
                void save();
              }}
            >
              <div className={styles.field}>
                <label htmlFor={`${id}-name`}>Name (optional)</label>
                <input id={`${id}-name`} className={`${styles.input} ${styles.wide}`} value={saveName} maxLength={200} placeholder={`${methodLabel(shown.answer.method)} · ${Object.keys(shown.answer.weights).length} symbols`} onChange={(e) => setSaveName(e.target.value)} />
              </div>
              <button type="submit" className={styles.primary}>
                Save allocation
              </button>
            </form>
            {saveNote ? (
              <p role={saveNote.ok ? "status" : "alert"} className={saveNote.ok ? styles.okNote : styles.errorBox}>
                {saveNote.text}
              </p>
            ) : null}
          </section>
        ) : null}
        {status !== "loading" && shown ? <OrdersPanel key={shown.kind === "saved" ? shown.saved.id : shown.answer.asOf + JSON.stringify(shown.answer.weights)} weights={weightsOf(shown)} /> : null}
        {status !== "loading" && shown ? <BacktestPanel key={`bt-${shown.kind === "saved" ? shown.saved.id : JSON.stringify(shown.request)}`} request={shown.kind === "saved" ? shown.saved.params : shown.request} /> : null}
      </div>

      {compare ? <CompareView a={compare[0]} b={compare[1]} onClose={() => setCompare(null)} /> : null}
      {listError ? (
        <p role="alert" className={styles.errorBox}>
          {listError}
        </p>
      ) : null}
      <SavedList saved={saved} onOpen={open} onCompare={compareTwo} onDelete={remove} busyId={busyId} />
    </div>
  );
}

function weightsOf(shown: Shown): Record<string, number> {
  if (shown.kind === "generated") return shown.answer.weights;
  return Object.fromEntries(shown.saved.rows.map((r) => [r.symbol, r.pct / 100]));
}

function ResultSkeleton() {
  return (
    <section className={styles.card} role="status">
      <span className="visually-hidden">Generating the allocation…</span>
      <div className={styles.metrics}>
        {[0, 1, 2, 3].map((i) => (
          <div key={i} className={styles.skeletonTile} />
        ))}
      </div>
      <div className={styles.skeletonBlock} />
    </section>
  );
}

function ResultView({ shown, onReuse }: { shown: Shown; onReuse: (s: SavedAllocation) => void }) {
  const m =
    shown.kind === "generated"
      ? { ...shown.answer, title: methodLabel(shown.answer.method), note: null as string | null }
      : {
          ...shown.saved.metrics,
          method: shown.saved.method,
          riskFreeRate: shown.saved.params.riskFreeRate,
          weights: weightsOf(shown),
          title: `${shown.saved.name}`,
          note: `Saved allocation (${methodLabel(shown.saved.method)}). Percentages as stored.`,
        };
  const rows = Object.entries(m.weights)
    .map(([symbol, weight]) => ({ symbol, weight, risk: m.riskContributions[symbol] }))
    .sort((a, b) => b.weight - a.weight || a.symbol.localeCompare(b.symbol));
  const universe = shown.kind === "generated" ? shown.answer.universe : undefined;
  return (
    <>
      <section className={styles.card} aria-label="Allocation" data-testid="allocation-result">
        <div className={styles.cardHead}>
          <h2 className={styles.cardTitle}>{m.title}</h2>
          {shown.kind === "saved" ? (
            <button type="button" className={styles.linkButton} onClick={() => onReuse(shown.saved)}>
              Load its settings into the form
            </button>
          ) : null}
        </div>
        {m.note ? <p className={styles.muted}>{m.note}</p> : null}
        <dl className={styles.metrics} data-testid="metrics">
          <div>
            <dt>Expected return</dt>
            <dd data-testid="metric-return">{formatPct(m.expectedReturn)}</dd>
          </div>
          <div>
            <dt>Volatility</dt>
            <dd data-testid="metric-volatility">{formatPct(m.volatility)}</dd>
          </div>
          <div>
            <dt>Sharpe ratio</dt>
            <dd data-testid="metric-sharpe">{formatRatio(m.sharpe)}</dd>
          </div>
          <div>
            <dt>Closes to</dt>
            <dd>
              {m.asOf.split("-").reverse().join("/")}
              <span className={styles.subhead}>{m.observations} daily returns · rf {formatPct(m.riskFreeRate ?? 0)}</span>
            </dd>
          </div>
        </dl>
        {shown.kind === "generated" && shown.answer.excluded.length > 0 ? (
          <p className={styles.warnNote}>Left out for too short a history: {shown.answer.excluded.map((e) => `${e.symbol} (${e.observations} days)`).join(", ")}.</p>
        ) : null}
        {shown.kind === "generated" && shown.answer.projected ? <p className={styles.warnNote}>The method&apos;s weights broke the weight limits and were moved to the nearest allowed ones.</p> : null}
        <div className={styles.twoCols}>
          <div>
            <h3 className={styles.subTitle}>Weights and risk contributions</h3>
            <p className={styles.legend}>
              <span className={styles.keyWeight} aria-hidden="true" /> weight <span className={styles.keyRisk} aria-hidden="true" /> share of the portfolio&apos;s variance
            </p>
            <WeightBars rows={rows} />
          </div>
          <div className={styles.tableWrap}>
            <table className={styles.table} data-testid="weights-table">
              <thead>
                <tr>
                  <th scope="col">Symbol</th>
                  <th scope="col" className={styles.right}>Weight</th>
                  <th scope="col" className={styles.right}>Risk contribution</th>
                </tr>
              </thead>
              <tbody>
                {rows.map((r) => (
                  <tr key={r.symbol}>
                    <th scope="row">{r.symbol}</th>
                    <td className={styles.right}>{formatPct(r.weight)}</td>
                    <td className={styles.right}>{r.risk === undefined ? "—" : formatPct(r.risk)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      </section>
      {universe ? (
        <div className={styles.twoCols}>
          <section className={styles.card} aria-label="Efficient frontier">
            <h3 className={styles.subTitle}>Efficient frontier</h3>
            <p className={styles.legend}>The line: the least volatile portfolio for each expected return under your limits. Dots: each stock alone. Triangle: this allocation.</p>
            <div className={styles.chartScroll}>
              <FrontierChart frontier={universe.frontier} assets={universe.assets} chosen={m} riskFreeRate={m.riskFreeRate ?? 0} />
            </div>
          </section>
          <section className={styles.card} aria-label="Correlation heat map">
            <h3 className={styles.subTitle}>Correlation of daily returns</h3>
            <p className={styles.legend}>
              <span className={styles.keyNeg} aria-hidden="true" /> −1 · <span className={styles.keyZero} aria-hidden="true" /> 0 · <span className={styles.keyPos} aria-hidden="true" /> +1
            </p>
            <div className={styles.chartScroll}>
              <CorrelationHeatmap symbols={universe.symbols} correlation={universe.correlation} />
            </div>
          </section>
        </div>
      ) : shown.kind === "saved" ? (
        <p className={styles.muted}>The frontier and the correlations are drawn when an allocation is generated: load its settings into the form and Generate to see them with today&apos;s data.</p>
      ) : null}
    </>
  );
}
