/**
 * An OpenAI-compatible chat-completions client for the AI analyst node: POST {base}/chat/completions
 * {model, messages} → {choices: [{message: {role, content}}]}, under a timeout, retried once on 429/5xx.
 * Errors name the host, never the key.
 */
import { z } from "zod";
import type { Env } from "@/lib/env";
import { DEFAULT_OPENAI_BASE_URL } from "./openai-embedder";

export interface ChatClient {
  model: string;
  complete(messages: { role: "system" | "user"; content: string }[], signal: AbortSignal): Promise<string>;
}

const answerSchema = z.object({ choices: z.array(z.object({ message: z.object({ content: z.string().nullable() }) })).min(1) });

export function openAiChat(options: { baseUrl?: string; apiKey?: string; model: string; timeoutMs?: number; fetch?: typeof fetch }): ChatClient {
  const base = (options.baseUrl ?? DEFAULT_OPENAI_BASE_URL).replace(/\/+$/, "");
  const host = URL.canParse(base) ? new URL(base).host : "the chat endpoint";
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 25_000;
  return {
    model: options.model,
    async complete(messages, signal) {
      for (let attempt = 0; ; attempt++) {
        let res: Response;
        try {
          res = await doFetch(`${base}/chat/completions`, {
            method: "POST",
            headers: { "content-type": "application/json", ...(options.apiKey ? { authorization: `Bearer ${options.apiKey}` } : {}) },
            body: JSON.stringify({ model: options.model, messages, temperature: 0.2 }),
            signal: AbortSignal.any([signal, AbortSignal.timeout(timeoutMs)]),
          });
        } catch (e) {
          if (signal.aborted) throw e;
          const why = (e as Error).name === "TimeoutError" ? `did not answer within ${timeoutMs} ms` : "cannot be reached";
          throw new Error(`the chat endpoint (${host}) ${why}`);
        }
        if ((res.status === 429 || res.status >= 500) && attempt === 0) {
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        if (!res.ok) throw new Error(`the chat endpoint (${host}) answered ${res.status}`);
        const parsed = answerSchema.safeParse(await res.json().catch(() => null));
        if (!parsed.success) throw new Error(`the chat endpoint (${host}) answered something other than chat-completions JSON`);
        return parsed.data.choices[0]!.message.content ?? "";
      }
    },
  };
}

/** The app's chat client, or null with no QUANTFLOW_CHAT_MODEL or no endpoint (OPENAI_BASE_URL / OPENAI_API_KEY). */
export function chatFor(e: Pick<Env, "OPENAI_API_KEY" | "OPENAI_BASE_URL" | "QUANTFLOW_CHAT_MODEL">): ChatClient | null {
  if (!e.QUANTFLOW_CHAT_MODEL || (!e.OPENAI_API_KEY && !e.OPENAI_BASE_URL)) return null;
  return openAiChat({ baseUrl: e.OPENAI_BASE_URL, apiKey: e.OPENAI_API_KEY, model: e.QUANTFLOW_CHAT_MODEL });
}
