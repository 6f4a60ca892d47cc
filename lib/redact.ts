/**
 * Blanks a secret (a DNSE token) out of text that is shown or logged: DNSE's messages, a server's echo of
 * a request. Not only the token as given: a server may echo it upper- or lower-cased, URL-encoded, or
 * base64-encoded (e.g. inside a Basic or a wrapped header), so every such form is blanked too.
 */

export const REDACTED = "[token]";

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

/**
 * The base64 text that stands for `secret` wherever it sits in an encoded string: its bytes can start at
 * any of three offsets of a 3-byte group, and only the characters made of the secret's bits alone are
 * the same in every string that embeds it.
 */
function base64Forms(secret: string): string[] {
  const bytes = Buffer.from(secret, "utf8");
  const forms: string[] = [];
  for (let offset = 0; offset < 3; offset++) {
    const encoded = Buffer.concat([Buffer.alloc(offset), bytes]).toString("base64");
    const start = Math.ceil((offset * 8) / 6);
    const end = Math.floor(((offset + bytes.length) * 8) / 6);
    const core = encoded.slice(start, end);
    forms.push(core, core.replace(/\+/g, "-").replace(/\//g, "_"));
  }
  return forms;
}

/** The forms of `secret` that are blanked, longest first (so a longer form is not half-replaced). */
export function secretForms(secret: string): string[] {
  const forms = new Set<string>([secret, encodeURIComponent(secret), encodeURIComponent(encodeURIComponent(secret)), JSON.stringify(secret).slice(1, -1)]);
  // Short secrets' base64 fragments would match ordinary words; real tokens are far longer.
  if (secret.length >= 12) for (const form of base64Forms(secret)) forms.add(form);
  return [...forms].filter((f) => f.length > 0).sort((a, b) => b.length - a.length);
}

/** `text` with every form of `secret` replaced by [token], ignoring case. */
export function redactSecret(text: string, secret: string): string {
  if (!secret) return text;
  const pattern = new RegExp(secretForms(secret).map(escapeRegExp).join("|"), "gi");
  return text.replace(pattern, REDACTED);
}
