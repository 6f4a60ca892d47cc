import { describe, expect, it } from "vitest";
import { PASSWORD_HAS_EMAIL, PASSWORD_IS_COMMON, passwordProblem } from "./password-policy";

describe("passwordProblem", () => {
  it.each(["password123", "1234567890", "qwertyuiop", "Password1234", "iloveyou12", "basketball", "1q2w3e4r5t", "football2024!"])(
    "refuses %s: on the common and leaked passwords list",
    (password) => expect(passwordProblem(password, "ana@example.com")).toBe(PASSWORD_IS_COMMON),
  );

  it.each(["ana.nguyen@example.com", "my ana.nguyen password", "ANA.NGUYEN rules 2024"])("refuses %s for ana.nguyen@example.com: it contains the e-mail", (password) =>
    expect(passwordProblem(password, "ana.nguyen@example.com")).toBe(PASSWORD_HAS_EMAIL),
  );

  it.each(["correct horse battery", "steel prices rise in may", "Hòa Phát thép 2025"])("accepts %s", (password) =>
    expect(passwordProblem(password, "ana.nguyen@example.com")).toBeNull(),
  );

  it("ignores a local part too short to mean anything (jo@…)", () => {
    expect(passwordProblem("joyful rivers at dawn", "jo@example.com")).toBeNull();
  });
});
