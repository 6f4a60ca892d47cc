/**
 * What a new password must not be, beyond its length (lib/auth/credentials.ts): one of the passwords
 * attackers try first, or built from the account's own e-mail. The list is @zxcvbn-ts/language-common's
 * (MIT, maintained): ~49,000 passwords ranked by how often they appear in leaked password dumps,
 * shipped inside the package (no network at run time). Server-only: the list stays out of the
 * browser's bundle.
 */
import { dictionary } from "@zxcvbn-ts/language-common";

let common: Set<string> | undefined;

function commonPasswords(): Set<string> {
  common ??= new Set(dictionary["passwords-common"].map((p) => p.toLowerCase()));
  return common;
}

/** Local parts shorter than this ("a@…", "jo@…") would forbid too many good passwords. */
const MIN_LOCAL_PART = 3;

export const PASSWORD_IS_COMMON =
  "This password is on the lists of common and leaked passwords that attackers try first. Choose another (a phrase of a few unrelated words works well).";
export const PASSWORD_HAS_EMAIL = "The password must not contain your e-mail address or its name part. Choose another.";

/** Why `password` may not be an account's new password, or null when it may. `email` is normalised. */
export function passwordProblem(password: string, email: string): string | null {
  const lower = password.toLowerCase();
  if (commonPasswords().has(lower)) return PASSWORD_IS_COMMON;
  // The list's entries with a digit or two appended or a capital first are just as guessable.
  const stripped = lower.replace(/[\d!.?_-]{1,4}$/, "");
  if (stripped.length >= 8 && commonPasswords().has(stripped)) return PASSWORD_IS_COMMON;
  const local = email.split("@")[0] ?? "";
  if (lower.includes(email) || (local.length >= MIN_LOCAL_PART && lower.includes(local))) return PASSWORD_HAS_EMAIL;
  return null;
}
