/**
 * Tokens for the DNSE stand-in (test/dnse-stand-in.ts) shaped as DNSE's are, JWTs, so QuantFlow accepts
 * them; the behaviour the stand-in plays ("ok-alice", "expired-x", …) rides in the payload's `sub`.
 */
const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString("base64url");

export function standInToken(behaviour: string, signature = `Sig${Math.random().toString(36).slice(2, 10)}`, claims: Record<string, unknown> = {}): string {
  return `${part({ alg: "HS256", typ: "JWT" })}.${part({ sub: `standin-${behaviour}`, ...claims })}.${signature}`;
}

/** The stand-in's behaviour name of a token: the JWT's `sub`, or the token itself (older tests pass it raw). */
export function standInSubject(token: string): string {
  const payload = token.split(".")[1];
  if (!payload) return token;
  try {
    const sub = (JSON.parse(Buffer.from(payload, "base64url").toString("utf8")) as { sub?: unknown }).sub;
    return typeof sub === "string" && sub.startsWith("standin-") ? sub : token;
  } catch {
    return token;
  }
}
