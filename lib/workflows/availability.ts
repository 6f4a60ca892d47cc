/** Node types this installation cannot run, with the reason the palette shows (server-side: reads the environment). */
import { env, type Env } from "@/lib/env";
import { chatFor } from "@/lib/memory/openai-chat";
import { CHAT_UNAVAILABLE, aiAnalystNode } from "./nodes/memory";

export function unavailableNodes(e: Env = env()): Record<string, string> {
  return chatFor(e) ? {} : { [aiAnalystNode.type]: CHAT_UNAVAILABLE };
}
