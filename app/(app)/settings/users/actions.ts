"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { userAction, type ActionState } from "@/app/_lib/action";
import { getDb } from "@/db/client";
import { emailSchema } from "@/lib/auth/credentials";
import { createInvitation, revokeInvitation } from "@/lib/auth/invitations";
import { ROLES, setRole } from "@/lib/auth/roles";
import { endSessionsAsAdmin } from "@/lib/auth/sessions";

const ONLY_ADMINS: ActionState = { error: "Only an admin may manage the accounts of this installation." };
const id = z.uuid({ error: "Not a valid id." });
const role = z.enum(ROLES, { error: 'role must be "admin" or "analyst"' });

const SET_ROLE_ERRORS = {
  forbidden: ONLY_ADMINS.error!,
  not_found: "This account no longer exists.",
  last_admin: "This is the last admin: make another account admin first, so that someone can still manage market data.",
  from_environment: "This e-mail is listed in QUANTFLOW_ADMINS, so it stays an admin. Remove it there (and restart) to change its role.",
} as const;

export async function setRoleAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({ userId: id, role }), async (user, input) => {
    const result = await setRole(getDb(), user, input.userId, input.role);
    if (!result.ok) return { error: SET_ROLE_ERRORS[result.error] };
    revalidatePath("/settings/users");
    return { ok: true, message: input.role === "admin" ? "Made an admin." : "Made an analyst." };
  });
}

/** Signs an account out everywhere (the admin's own account too, this browser included). */
export async function endSessionsAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({ userId: id }), async (user, input) => {
    const result = await endSessionsAsAdmin(getDb(), user, input.userId);
    if (!result.ok) return { error: SET_ROLE_ERRORS[result.error] };
    revalidatePath("/settings/users");
    return { ok: true, message: result.ended === 1 ? "Ended 1 session." : `Ended ${result.ended} sessions.` };
  });
}

const invitationSchema = z.object({
  email: z.union([z.literal(""), emailSchema]).transform((v) => v || null),
  role,
});

export async function createInvitationAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, invitationSchema, async (user, input) => {
    if (user.role !== "admin") return ONLY_ADMINS;
    const invitation = await createInvitation(getDb(), user, input);
    revalidatePath("/settings/users");
    // The token is shown once, now; only its hash is stored.
    return { ok: true, message: "Invitation created. Copy the link now: it is not shown again.", data: { token: invitation.token } };
  });
}

export async function revokeInvitationAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({ invitationId: id }), async (user, input) => {
    if (user.role !== "admin") return ONLY_ADMINS;
    const revoked = await revokeInvitation(getDb(), user, input.invitationId);
    revalidatePath("/settings/users");
    return revoked ? { ok: true, message: "Invitation withdrawn." } : { error: "This invitation was already used or withdrawn." };
  });
}
