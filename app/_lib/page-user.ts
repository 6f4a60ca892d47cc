/**
 * The signed-in user of a page under (app). The layout redirects a session whose account is gone, but
 * it renders alongside the page, not before it: a page that assumed a user (`getSessionUser()!`) read
 * `.id` of null and logged a TypeError for a deleted account's still-valid cookie. This redirects instead.
 */
import { redirect } from "next/navigation";
import { getSessionUser, type SessionUser } from "./session";

export async function requirePageUser(): Promise<SessionUser> {
  const user = await getSessionUser();
  if (!user) redirect("/login");
  return user;
}
