"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, useTransition } from "react";
import type { ActionState } from "@/app/_lib/action";
import {
  createWorkflowAction,
  deleteWorkflowAction,
  duplicateWorkflowAction,
  importWorkflowAction,
  renameWorkflowAction,
  setWorkflowActiveAction,
} from "@/app/(app)/workflows/actions";
import styles from "./list.module.css";

export interface WorkflowRow {
  id: string;
  name: string;
  isActive: boolean;
  hasSchedule: boolean;
  lastRun: { id: string; status: string; at: string | null } | null;
  nextRun: string | null;
}

export interface TemplateCard {
  key: string;
  name: string;
  description: string;
}

type Action = (previous: ActionState, formData: FormData) => Promise<ActionState>;

function formOf(values: Record<string, string>): FormData {
  const f = new FormData();
  for (const [k, v] of Object.entries(values)) f.set(k, v);
  return f;
}

export function StatusLabel({ status }: { status: string }) {
  return <span className={`${styles.status} ${styles[status] ?? ""}`}>{status}</span>;
}

export function WorkflowList({ rows, templates }: { rows: WorkflowRow[]; templates: TemplateCard[] }) {
  const router = useRouter();
  const [pending, startTransition] = useTransition();
  const [message, setMessage] = useState<{ text: string; error: boolean } | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [newName, setNewName] = useState("");

  const run = (action: Action, values: Record<string, string>, then?: (state: ActionState) => void) =>
    startTransition(async () => {
      const state = await action({}, formOf(values));
      if (state.ok) {
        setMessage(state.message ? { text: state.message, error: false } : null);
        then?.(state);
        router.refresh();
      } else {
        const field = state.fieldErrors ? Object.values(state.fieldErrors)[0] : undefined;
        setMessage({ text: field ?? state.error ?? "Something went wrong.", error: true });
      }
    });

  const create = (name: string, template?: string) =>
    run(createWorkflowAction, { name, ...(template ? { template } : {}) }, (state) => {
      setNewName("");
      if (!template && state.ok && state.data?.id) router.push(`/workflows/${state.data.id}`);
    });

  const importFile = async (file: File) => {
    if (file.size > 1_100_000) {
      setMessage({ text: `The file is ${(file.size / 1e6).toFixed(1)} MB; at most 1 MB can be imported.`, error: true });
      return;
    }
    run(importWorkflowAction, { json: await file.text() });
  };

  return (
    <>
      <div className={styles.toolbar}>
        <form
          className={styles.inline}
          onSubmit={(e) => {
            e.preventDefault();
            create(newName);
          }}
        >
          <label>
            New workflow name
            <input className={styles.input} name="name" value={newName} onChange={(e) => setNewName(e.target.value)} maxLength={255} required />
          </label>
          <button type="submit" className="btn btn-primary" disabled={pending || newName.trim() === ""}>
            Create
          </button>
        </form>
        {rows.length > 0 ? (
          <form
            className={styles.inline}
            onSubmit={(e) => {
              e.preventDefault();
              const key = String(new FormData(e.currentTarget).get("template") ?? "");
              const t = templates.find((x) => x.key === key);
              if (t) create(t.name, t.key);
            }}
          >
            <label>
              Starter template
              <select name="template" className={styles.input}>
                {templates.map((t) => (
                  <option key={t.key} value={t.key}>
                    {t.name}
                  </option>
                ))}
              </select>
            </label>
            <button type="submit" className="btn" disabled={pending}>
              Add
            </button>
          </form>
        ) : null}
        <div className={styles.inline}>
          <label>
            Import a workflow (JSON)
            <input
              type="file"
              accept="application/json,.json"
              className={styles.input}
              onChange={(e) => {
                const file = e.target.files?.[0];
                if (file) void importFile(file);
                e.target.value = "";
              }}
            />
          </label>
        </div>
      </div>

      {message ? (
        <p role={message.error ? "alert" : "status"} className={`${styles.message} ${message.error ? styles.error : ""}`} data-testid="workflows-message">
          {message.text}
        </p>
      ) : null}

      {rows.length === 0 ? (
        <div className={styles.empty}>
          <h2 style={{ margin: 0, fontSize: "1.0625rem" }}>No workflows yet</h2>
          <p className={styles.muted} style={{ margin: "0.25rem 0 0" }}>
            Name one above and build it on the canvas, import a JSON file, or start from a template:
          </p>
          <div className={styles.templates}>
            {templates.map((t) => (
              <div key={t.key} className={styles.template}>
                <h3>{t.name}</h3>
                <p>{t.description}</p>
                <div>
                  <button type="button" className={`btn ${styles.small}`} disabled={pending} onClick={() => create(t.name, t.key)}>
                    Use this template
                  </button>
                </div>
              </div>
            ))}
          </div>
        </div>
      ) : (
        <table className={styles.table}>
          <thead>
            <tr>
              <th scope="col">Name</th>
              <th scope="col">Active</th>
              <th scope="col">Last run</th>
              <th scope="col">Next run</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((w) => (
              <tr key={w.id}>
                <td>
                  {renaming === w.id ? (
                    <form
                      className={styles.inline}
                      onSubmit={(e) => {
                        e.preventDefault();
                        const name = String(new FormData(e.currentTarget).get("name") ?? "");
                        run(renameWorkflowAction, { id: w.id, name }, () => setRenaming(null));
                      }}
                    >
                      <label className="visually-hidden" htmlFor={`rename-${w.id}`}>
                        New name for {w.name}
                      </label>
                      <input id={`rename-${w.id}`} name="name" defaultValue={w.name} className={styles.input} maxLength={255} autoFocus />
                      <button type="submit" className={`btn btn-primary ${styles.small}`} disabled={pending}>
                        Save
                      </button>
                      <button type="button" className={`btn ${styles.small}`} onClick={() => setRenaming(null)}>
                        Cancel
                      </button>
                    </form>
                  ) : (
                    <Link href={`/workflows/${w.id}`} className={styles.name}>
                      {w.name}
                    </Link>
                  )}
                </td>
                <td data-label="Active">
                  <label>
                    <input
                      type="checkbox"
                      role="switch"
                      checked={w.isActive}
                      disabled={pending}
                      aria-label={`Active: ${w.name}`}
                      onChange={(e) => run(setWorkflowActiveAction, { id: w.id, active: String(e.target.checked) })}
                    />{" "}
                    <span className={styles.muted}>{w.isActive ? "On" : "Off"}</span>
                  </label>
                </td>
                <td data-label="Last run">
                  {w.lastRun ? (
                    <Link href={`/workflows/${w.id}/runs/${w.lastRun.id}`}>
                      <StatusLabel status={w.lastRun.status} /> <span className={styles.muted}>{w.lastRun.at ?? ""}</span>
                    </Link>
                  ) : (
                    <span className={styles.muted}>Never run</span>
                  )}
                </td>
                <td className="num" data-label="Next run">
                  {w.nextRun ?? <span className={styles.muted}>{w.hasSchedule ? (w.isActive ? "—" : "Paused") : "No schedule"}</span>}
                </td>
                <td>
                  {confirmDelete === w.id ? (
                    <span className={styles.actions} role="group" aria-label={`Confirm deleting ${w.name}`}>
                      <span>Delete “{w.name}” and its run history?</span>
                      <button type="button" className={`btn ${styles.small} ${styles.danger}`} disabled={pending} onClick={() => run(deleteWorkflowAction, { id: w.id }, () => setConfirmDelete(null))}>
                        Yes, delete
                      </button>
                      <button type="button" className={`btn ${styles.small}`} onClick={() => setConfirmDelete(null)}>
                        Keep it
                      </button>
                    </span>
                  ) : (
                    <span className={styles.actions}>
                      <Link className={`btn ${styles.small}`} href={`/workflows/${w.id}`}>
                        Open
                      </Link>
                      <Link className={`btn ${styles.small}`} href={`/workflows/${w.id}/runs`}>
                        Runs
                      </Link>
                      <button type="button" className={`btn ${styles.small}`} onClick={() => setRenaming(w.id)} aria-label={`Rename ${w.name}`}>
                        Rename
                      </button>
                      <button type="button" className={`btn ${styles.small}`} disabled={pending} onClick={() => run(duplicateWorkflowAction, { id: w.id })} aria-label={`Duplicate ${w.name}`}>
                        Duplicate
                      </button>
                      <a className={`btn ${styles.small}`} href={`/api/workflows/${w.id}/export`} download aria-label={`Export ${w.name}`}>
                        Export
                      </a>
                      <button type="button" className={`btn ${styles.small} ${styles.danger}`} onClick={() => setConfirmDelete(w.id)} aria-label={`Delete ${w.name}`}>
                        Delete
                      </button>
                    </span>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
