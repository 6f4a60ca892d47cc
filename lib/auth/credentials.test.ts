import { describe, expect, it } from "vitest";
import { changePasswordSchema, deleteAccountSchema, emailSchema, signInSchema, signUpSchema } from "./credentials";

describe("emailSchema", () => {
  it("normalises case and surrounding spaces", () => {
    expect(emailSchema.parse("  Ana.Nguyen@Example.COM ")).toBe("ana.nguyen@example.com");
  });

  it.each(["", "   ", "ana", "ana@", "@example.com", "ana@@example.com", "ana example@example.com", "ana@example", `${"a".repeat(250)}@example.com`])(
    "refuses %j with a sentence",
    (email) => {
      const result = emailSchema.safeParse(email);
      expect(result.success).toBe(false);
      expect(result.error!.issues[0]!.message).toMatch(/email address/);
    },
  );
});

describe("signUpSchema", () => {
  it("accepts a 10-character password and matching confirmation", () => {
    expect(signUpSchema.parse({ email: "a@example.com", password: "0123456789", confirmPassword: "0123456789" })).toEqual({
      email: "a@example.com",
      password: "0123456789",
      confirmPassword: "0123456789",
    });
  });

  it("refuses a password under 10 characters, naming the field", () => {
    const result = signUpSchema.safeParse({ email: "a@example.com", password: "012345678", confirmPassword: "012345678" });
    expect(result.error!.issues).toEqual([expect.objectContaining({ path: ["password"], message: "Use at least 10 characters." })]);
  });

  it("refuses a password over 1024 characters and a confirmation that differs", () => {
    const long = "x".repeat(1025);
    expect(signUpSchema.safeParse({ email: "a@example.com", password: long, confirmPassword: long }).error!.issues[0]!.path).toEqual(["password"]);
    const differ = signUpSchema.safeParse({ email: "a@example.com", password: "0123456789", confirmPassword: "0123456780" });
    expect(differ.error!.issues[0]).toMatchObject({ path: ["confirmPassword"], message: "The two passwords differ." });
  });

  it("refuses missing fields and non-strings", () => {
    expect(signUpSchema.safeParse({}).success).toBe(false);
    expect(signInSchema.safeParse({ email: ["a@example.com"], password: 1234567890 }).success).toBe(false);
  });
});

describe("account changes", () => {
  it("needs the current password, a new one of 10+ characters, different and confirmed", () => {
    const base = { currentPassword: "old-password", newPassword: "new-password-1", confirmPassword: "new-password-1" };
    expect(changePasswordSchema.safeParse(base).success).toBe(true);
    expect(changePasswordSchema.safeParse({ ...base, currentPassword: "" }).error!.issues[0]!.path).toEqual(["currentPassword"]);
    expect(changePasswordSchema.safeParse({ ...base, newPassword: "short", confirmPassword: "short" }).error!.issues[0]!.path).toEqual(["newPassword"]);
    expect(changePasswordSchema.safeParse({ ...base, confirmPassword: "other-password" }).error!.issues[0]!.path).toEqual(["confirmPassword"]);
    expect(
      changePasswordSchema.safeParse({ currentPassword: "same-password", newPassword: "same-password", confirmPassword: "same-password" }).error!
        .issues[0]!.path,
    ).toEqual(["newPassword"]);
  });

  it("deletes only with the password and DELETE typed out", () => {
    expect(deleteAccountSchema.safeParse({ password: "x", confirm: "DELETE" }).success).toBe(true);
    expect(deleteAccountSchema.safeParse({ password: "x", confirm: "delete" }).error!.issues[0]!.message).toBe("Type DELETE to confirm.");
    expect(deleteAccountSchema.safeParse({ password: "", confirm: "DELETE" }).success).toBe(false);
  });
});
