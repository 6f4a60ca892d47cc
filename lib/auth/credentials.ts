/**
 * What a person types to get an account or sign in, validated with zod: the same schemas check the
 * forms in the browser (instant feedback) and again on the server (the boundary that counts).
 */
import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 10;
/** argon2 hashes any length, but a megabyte "password" is only a way to burn the server's CPU. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Emails are compared trimmed and in lower case: "Ana@Example.com " and "ana@example.com" are one account. */
export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

export const emailSchema = z
  .string({ error: "Enter your email address." })
  .transform(normaliseEmail)
  .pipe(
    z
      .string()
      .min(1, "Enter your email address.")
      .max(255, "An email address has at most 255 characters.")
      .pipe(z.email("Enter a valid email address, like name@example.com.")),
  );

export const newPasswordSchema = z
  .string({ error: "Choose a password." })
  .min(MIN_PASSWORD_LENGTH, `Use at least ${MIN_PASSWORD_LENGTH} characters.`)
  .max(MAX_PASSWORD_LENGTH, `Use at most ${MAX_PASSWORD_LENGTH} characters.`);

const currentPasswordSchema = z
  .string({ error: "Enter your password." })
  .min(1, "Enter your password.")
  .max(MAX_PASSWORD_LENGTH, `A password has at most ${MAX_PASSWORD_LENGTH} characters.`);

export const signUpSchema = z
  .object({ email: emailSchema, password: newPasswordSchema, confirmPassword: z.string().default("") })
  .refine((v) => v.password === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two passwords differ.",
  });

export const signInSchema = z.object({ email: emailSchema, password: currentPasswordSchema });

export const changePasswordSchema = z
  .object({
    currentPassword: currentPasswordSchema,
    newPassword: newPasswordSchema,
    confirmPassword: z.string().default(""),
  })
  .refine((v) => v.newPassword === v.confirmPassword, {
    path: ["confirmPassword"],
    message: "The two new passwords differ.",
  })
  .refine((v) => v.newPassword !== v.currentPassword, {
    path: ["newPassword"],
    message: "Choose a password different from the current one.",
  });

export const deleteAccountSchema = z.object({
  password: currentPasswordSchema,
  confirm: z.literal("DELETE", { error: "Type DELETE to confirm." }),
});

export type SignUpInput = z.infer<typeof signUpSchema>;
export type SignInInput = z.infer<typeof signInSchema>;
