"use client";

import Link from "next/link";
import { useCallback, useEffect, useState, type FormEvent, type ReactNode } from "react";
import { formatDateTimeVnShort } from "@/components/ui/datetime";
import { Skeleton } from "@/components/ui/Skeleton";
import { addMemory, deleteMemory, EMPTY_SEARCH, findMemories, updateMemory, type FoundJson, type MemoryItem, type SearchForm } from "./memory-api";
import { isoDate } from "@/components/ui/datetime";
import { sharedWords } from "./memory-text";
import { SymbolPicker } from "./SymbolPicker";
import styles from "./memory.module.css";

const TYPE_LABELS: Record<string, string> = { analysis: "Analysis", audit_finding: "Audit finding", preference: "Preference" };
const typeLabel = (t: string) => TYPE_LABELS[t] ?? t;

/** A link back to the workflow run a finding came from (written by the Save finding node). */
const RUN_PATH = /(\/workflows\/[0-9a-f-]{36}\/runs\/[0-9a-f-]{36})/g;

function ContentText({ text }: { text: string }) {
  const parts = text.split(RUN_PATH);
  return (
    <p className={styles.content}>
      {parts.map((part, i) =>
        i % 2 === 1 ? (
          <Link key={i} href={part}>
            the workflow run
          </Link>
        ) : (
          part
        ),
      )}
    </p>
  );
}

function filtersText(f: FoundJson["filters"]): string {
  const parts = [
    f.type ? `type ${typeLabel(f.type).toLowerCase()}` : null,
    f.company ? `company ${f.company}` : null,
    f.from ? `from ${formatDateTimeVnShort(new Date(f.from))}` : null,
    f.to ? `to ${formatDateTimeVnShort(new Date(f.to))}` : null,
  ].filter(Boolean);
  return parts.length ? parts.join(", ") : "none";
}

function TypeSelect({ value, onChange, types, label, allowAny, name }: { value: string; onChange: (v: string) => void; types: string[]; label: string; allowAny?: boolean; name: string }) {
  return (
    <label>
      {label}
      <select className={styles.input} name={name} value={value} onChange={(e) => onChange(e.target.value)}>
        {allowAny ? <option value="">Any type</option> : null}
        {types.map((t) => (
          <option key={t} value={t}>
            {typeLabel(t)}
          </option>
        ))}
      </select>
    </label>
  );
}

interface Draft {
  content: string;
  memoryType: string;
  company: string;
}

/** The fields of a memory, for adding one or editing one in place. */
function MemoryFields({ draft, setDraft, types, idPrefix }: { draft: Draft; setDraft: (d: Draft) => void; types: string[]; idPrefix: string }) {
  return (
    <>
      <label className={styles.contentLabel}>
        Content
        <textarea
          className={`${styles.input} ${styles.textarea}`}
          name={`${idPrefix}-content`}
          value={draft.content}
          onChange={(e) => setDraft({ ...draft, content: e.target.value })}
          maxLength={20_000}
          rows={4}
          required
        />
      </label>
      <div className={styles.row}>
        <TypeSelect label="Type" name={`${idPrefix}-type`} value={draft.memoryType} onChange={(memoryType) => setDraft({ ...draft, memoryType })} types={types} />
        <SymbolPicker label="Company (symbol)" name={`${idPrefix}-company`} className={styles.input} value={draft.company} onChange={(company) => setDraft({ ...draft, company })} placeholder="none" />
      </div>
    </>
  );
}

type Load = { state: "loading" } | { state: "error"; error: string } | { state: "ready"; found: FoundJson; query: string };

export function MemoryWorkbench({ types, embedderName, embedderKind }: { types: string[]; embedderName: string; embedderKind: "lexical" | "remote"; store: string }) {
  const [form, setForm] = useState<SearchForm>(EMPTY_SEARCH);
  const [applied, setApplied] = useState<SearchForm>(EMPTY_SEARCH);
  const [reloads, setReloads] = useState(0);
  // The answer for the search it was asked for: a newer search shows loading until its own answer arrives.
  const requestKey = `${JSON.stringify(applied)}#${reloads}`;
  const [answer, setAnswer] = useState<{ key: string; load: Load } | null>(null);
  const load: Load = answer?.key === requestKey ? answer.load : { state: "loading" };
  const [adding, setAdding] = useState<Draft>({ content: "", memoryType: types.includes("analysis") ? "analysis" : types[0]!, company: "" });
  const [addError, setAddError] = useState<string | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [formError, setFormError] = useState<{ field: "from" | "to"; message: string } | null>(null);

  useEffect(() => {
    let stale = false;
    void findMemories(applied).then((r) => {
      if (stale) return;
      setAnswer({ key: requestKey, load: r.ok ? { state: "ready", found: r.body, query: applied.query.trim() } : { state: "error", error: r.error } });
    });
    return () => {
      stale = true;
    };
  }, [applied, requestKey]);
  const reload = useCallback(() => setReloads((n) => n + 1), []);

  const search = (e: FormEvent) => {
    e.preventDefault();
    setNotice(null);
    const from = isoDate(form.from);
    const to = isoDate(form.to);
    if (from === null) return setFormError({ field: "from", message: "From: write a date as dd/mm/yyyy, e.g. 01/11/2026." });
    if (to === null) return setFormError({ field: "to", message: "To: write a date as dd/mm/yyyy, e.g. 30/11/2026." });
    setFormError(null);
    setApplied({ ...form, from, to });
  };
  const clear = () => {
    setFormError(null);
    setForm(EMPTY_SEARCH);
    setApplied(EMPTY_SEARCH);
  };
  const add = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await addMemory(adding);
    setBusy(false);
    if (!r.ok) return setAddError(r.error);
    setAddError(null);
    setAdding({ ...adding, content: "" });
    setNotice("Memory saved.");
    reload();
  };

  const filtered = Object.entries(applied).some(([k, v]) => k !== "query" && v !== "");
  return (
    <div className={styles.layout}>
      <section aria-labelledby="memory-search-title" className={styles.panel}>
        <h2 id="memory-search-title" className={styles.panelTitle}>
          Search and filter
        </h2>
        <form role="search" aria-label="Memories" onSubmit={search} className={styles.searchForm}>
          <label className={styles.grow}>
            Search memories
            <input className={styles.input} type="search" name="query" value={form.query} onChange={(e) => setForm({ ...form, query: e.target.value })} placeholder="e.g. Hoa Phat inventory risk" maxLength={20_000} />
          </label>
          <TypeSelect label="Type" name="type" value={form.type} onChange={(type) => setForm({ ...form, type })} types={types} allowAny />
          <SymbolPicker label="Company" name="company" className={styles.input} value={form.company} onChange={(company) => setForm({ ...form, company })} />
          <label>
            From (dd/mm/yyyy)
            <input className={styles.input} name="from" value={form.from} onChange={(e) => setForm({ ...form, from: e.target.value })} inputMode="numeric" aria-invalid={formError?.field === "from"} />
          </label>
          <label>
            To (dd/mm/yyyy)
            <input className={styles.input} name="to" value={form.to} onChange={(e) => setForm({ ...form, to: e.target.value })} inputMode="numeric" aria-invalid={formError?.field === "to"} />
          </label>
          <div className={styles.buttons}>
            <button type="submit" className="btn btn-primary">
              Search
            </button>
            <button type="button" className="btn" onClick={clear}>
              Clear
            </button>
          </div>
        </form>
        {formError ? (
          <p role="alert" className={styles.error}>
            {formError.message}
          </p>
        ) : null}
        <p className={styles.hint}>
          Search uses {embedderName}.{" "}
          {embedderKind === "lexical" ? "It finds memories sharing words with the query (\u201cHoa Phat\u201d finds \u201cHòa Phát\u201d), not paraphrases." : null}
        </p>
      </section>

      <section aria-labelledby="memory-add-title" className={styles.panel}>
        <h2 id="memory-add-title" className={styles.panelTitle}>
          Add a memory
        </h2>
        <form onSubmit={add} className={styles.addForm}>
          <MemoryFields draft={adding} setDraft={setAdding} types={types} idPrefix="new" />
          <div className={styles.buttons}>
            <button type="submit" className="btn btn-primary" disabled={busy || adding.content.trim() === ""}>
              Save memory
            </button>
          </div>
          {addError ? (
            <p role="alert" className={styles.error}>
              {addError}
            </p>
          ) : null}
        </form>
      </section>

      <section aria-labelledby="memory-list-title" className={styles.results}>
        <h2 id="memory-list-title" className={styles.panelTitle}>
          {load.state === "ready" && load.found.mode === "semantic" ? "Search results" : "Memories"}
        </h2>
        {notice ? (
          <p role="status" className={styles.notice}>
            {notice}
          </p>
        ) : null}
        {load.state === "loading" ? (
          <div role="status" aria-live="polite" className={styles.list}>
            <span className="visually-hidden">Loading memories…</span>
            {[0, 1, 2].map((i) => (
              <div key={i} className={styles.card} aria-hidden="true">
                <Skeleton width="30%" height={14} />
                <Skeleton width="95%" />
                <Skeleton width="80%" />
              </div>
            ))}
          </div>
        ) : load.state === "error" ? (
          <div role="alert" className={styles.errorBox}>
            <p>
              <strong>The memories could not be loaded.</strong> {load.error}
            </p>
            <button type="button" className="btn" onClick={reload}>
              Try again
            </button>
          </div>
        ) : (
          <Results load={load} filtered={filtered} types={types} embedderName={embedderName} lexical={embedderKind === "lexical"} onChanged={(text) => { setNotice(text); reload(); }} />
        )}
      </section>
    </div>
  );
}

function Results({
  load,
  filtered,
  types,
  embedderName,
  lexical,
  onChanged,
}: {
  load: Extract<Load, { state: "ready" }>;
  filtered: boolean;
  types: string[];
  embedderName: string;
  lexical: boolean;
  onChanged: (notice: string) => void;
}) {
  const { found, query } = load;
  const [showWeak, setShowWeak] = useState(false);
  // With the lexical embedder a result sharing no word with the query is noise (its similarity is
  // near zero): listed only on request.
  const weak = lexical && found.mode === "semantic" ? found.memories.filter((m) => sharedWords(query, m.content).length === 0) : [];
  const shown = showWeak ? found.memories : found.memories.filter((m) => !weak.includes(m));
  const n = shown.length;
  if (found.memories.length === 0) {
    return (
      <div className={styles.empty}>
        {found.mode === "semantic" || filtered ? (
          <>
            <p className={styles.emptyTitle}>Nothing matches</p>
            <p>Try other words, loosen the filters, or press Clear to see all your memories.</p>
          </>
        ) : (
          <>
            <p className={styles.emptyTitle}>No memories yet</p>
            <p>
              Write one under “Add a memory”, or add a <strong>Save finding</strong> node to a <Link href="/workflows">workflow</Link> so its runs keep what they found.
            </p>
          </>
        )}
      </div>
    );
  }
  const summary: ReactNode =
    found.mode === "semantic" && n === 0 ? (
      <>
        No memory shares a word with “{query}” (compared by {embedderName}); filters: {filtersText(found.filters)}.
      </>
    ) : found.mode === "semantic" ? (
      <>
        {n} {n === 1 ? "memory" : "memories"} most similar to “{query}”, compared by {embedderName}; filters: {filtersText(found.filters)}.
      </>
    ) : (
      <>
        {n} {n === 1 ? "memory" : "memories"}, newest first; filters: {filtersText(found.filters)}.
      </>
    );
  return (
    <>
      <p className={styles.summary} data-testid="memory-summary">
        {summary}
      </p>
      <ol className={styles.list} aria-label={found.mode === "semantic" ? "Search results" : "Memories"}>
        {shown.map((m) => (
          <MemoryCard key={m.id} memory={m} query={found.mode === "semantic" ? query : null} filters={found.filters} types={types} onChanged={onChanged} />
        ))}
      </ol>
      {weak.length > 0 ? (
        <p className={styles.weak}>
          {showWeak ? null : <>{weak.length} {n === 0 ? "" : "more "}{weak.length === 1 ? "memory shares" : "memories share"} no word with it (similarity near 0). </>}
          <button type="button" className="btn" onClick={() => setShowWeak(!showWeak)}>
            {showWeak ? "Hide those sharing no word" : `Show ${weak.length === 1 ? "it" : "them"}`}
          </button>
        </p>
      ) : null}
    </>
  );
}

function MemoryCard({
  memory,
  query,
  filters,
  types,
  onChanged,
}: {
  memory: MemoryItem;
  query: string | null;
  filters: FoundJson["filters"];
  types: string[];
  onChanged: (notice: string) => void;
}) {
  const [mode, setMode] = useState<"view" | "edit" | "confirm">("view");
  const [draft, setDraft] = useState<Draft>({ content: memory.content, memoryType: memory.memoryType, company: memory.company ?? "" });
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const when = new Date(memory.timestamp);
  const titleId = `memory-${memory.id}`;
  const label = `${typeLabel(memory.memoryType)}${memory.company ? ` on ${memory.company}` : ""}, ${formatDateTimeVnShort(when)}`;

  const save = async (e: FormEvent) => {
    e.preventDefault();
    setBusy(true);
    const r = await updateMemory(memory.id, draft);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    setError(null);
    setMode("view");
    onChanged("Memory updated.");
  };
  const remove = async () => {
    setBusy(true);
    const r = await deleteMemory(memory.id);
    setBusy(false);
    if (!r.ok) return setError(r.error);
    onChanged("Memory deleted.");
  };
  const words = query ? sharedWords(query, memory.content) : [];
  const why = query
    ? [words.length ? `shares ${words.map((w) => `“${w}”`).join(", ")}` : "no word in common (closest by its vector)", filters.type ? `type ${typeLabel(filters.type).toLowerCase()}` : null, filters.company ? `company ${filters.company}` : null, filters.from || filters.to ? "in the date range" : null]
        .filter(Boolean)
        .join("; ")
    : null;

  return (
    <li className={styles.card} aria-labelledby={titleId} data-testid="memory-card">
      <div className={styles.cardHead}>
        <h3 id={titleId} className={styles.cardTitle}>
          <span className={`${styles.badge} ${styles[memory.memoryType] ?? ""}`}>{typeLabel(memory.memoryType)}</span>
          {memory.company ? <span className={styles.company}>{memory.company}</span> : null}
          <time dateTime={memory.timestamp} className={styles.time}>
            {formatDateTimeVnShort(when)}
          </time>
        </h3>
        <div className={styles.cardSide}>
          {typeof memory.similarity === "number" ? (
            <span className={styles.similarity} title="Cosine similarity to the query (1 is identical)">
              similarity <span className="num">{memory.similarity.toFixed(2)}</span>
            </span>
          ) : null}
          {mode === "view" ? (
            <>
              <button type="button" className={`btn ${styles.small}`} onClick={() => setMode("edit")} aria-label={`Edit ${label}`}>
                Edit
              </button>
              <button type="button" className={`btn ${styles.small}`} onClick={() => setMode("confirm")} aria-label={`Delete ${label}`}>
                Delete
              </button>
            </>
          ) : null}
        </div>
      </div>
      {why ? <p className={styles.why}>Why: {why}.</p> : null}
      {mode === "edit" ? (
        <form onSubmit={save} className={styles.addForm} aria-label={`Edit ${label}`}>
          <MemoryFields draft={draft} setDraft={setDraft} types={types} idPrefix={`edit-${memory.id}`} />
          <div className={styles.buttons}>
            <button type="submit" className="btn btn-primary" disabled={busy || draft.content.trim() === ""}>
              Save changes
            </button>
            <button
              type="button"
              className="btn"
              onClick={() => {
                setMode("view");
                setError(null);
                setDraft({ content: memory.content, memoryType: memory.memoryType, company: memory.company ?? "" });
              }}
            >
              Cancel
            </button>
          </div>
        </form>
      ) : (
        <ContentText text={memory.content} />
      )}
      {mode === "confirm" ? (
        <div className={styles.confirm} role="group" aria-label="Confirm deletion">
          <span>Delete this memory for good?</span>
          <button type="button" className={`btn ${styles.danger}`} onClick={remove} disabled={busy} autoFocus>
            Yes, delete
          </button>
          <button type="button" className="btn" onClick={() => setMode("view")}>
            Keep it
          </button>
        </div>
      ) : null}
      {error ? (
        <p role="alert" className={styles.error}>
          {error}
        </p>
      ) : null}
    </li>
  );
}
