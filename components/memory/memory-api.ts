/** The page's calls to /api/memories (scoped to the session's user by the routes). */

export interface MemoryItem {
  id: string;
  memoryType: string;
  company: string | null;
  content: string;
  /** ISO 8601 with +07:00. */
  timestamp: string;
  model: string | null;
  similarity?: number | null;
}

export interface MemoryFiltersJson {
  type: string | null;
  company: string | null;
  from: string | null;
  to: string | null;
}

export interface FoundJson {
  mode: "semantic" | "recent";
  filters: MemoryFiltersJson;
  memories: MemoryItem[];
}

export interface SearchForm {
  query: string;
  type: string;
  company: string;
  from: string;
  to: string;
}

export const EMPTY_SEARCH: SearchForm = { query: "", type: "", company: "", from: "", to: "" };

type Result<T> = { ok: true; body: T } | { ok: false; error: string };

async function call<T>(path: string, init?: RequestInit): Promise<Result<T>> {
  let response: Response;
  try {
    response = await fetch(path, { ...init, headers: init?.body ? { "content-type": "application/json" } : undefined });
  } catch {
    return { ok: false, error: "QuantFlow could not be reached. Check your connection and try again." };
  }
  if (response.status === 401) return { ok: false, error: "Your session has ended. Sign in again." };
  const body = (await response.json().catch(() => null)) as (T & { error?: string }) | null;
  if (!response.ok || !body) return { ok: false, error: body?.error ?? `The server answered ${response.status}. Try again.` };
  return { ok: true, body };
}

export function findMemories(form: SearchForm, limit = 50) {
  const params = new URLSearchParams({ limit: String(limit) });
  for (const [k, v] of Object.entries(form)) if (v.trim() !== "") params.set(k, v.trim());
  return call<FoundJson>(`/api/memories?${params}`);
}

export const addMemory = (input: { content: string; memoryType: string; company: string }) =>
  call<{ memory: MemoryItem }>("/api/memories", { method: "POST", body: JSON.stringify(input) });

export const updateMemory = (id: string, patch: { content: string; memoryType: string; company: string }) =>
  call<{ memory: MemoryItem }>(`/api/memories/${id}`, { method: "PATCH", body: JSON.stringify(patch) });

export const deleteMemory = (id: string) => call<{ deleted: true }>(`/api/memories/${id}`, { method: "DELETE" });
