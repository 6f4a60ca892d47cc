"use server";

import { revalidatePath } from "next/cache";
import { z } from "zod";
import { SIGNED_OUT, userAction, type ActionState } from "@/app/_lib/action";
import { getDb } from "@/db/client";
import { disconnectDnse, dnseCredentialsSchema, NOT_A_JWT, saveDnseCredentials, testDnseConnection } from "@/lib/broker/dnse-credentials";
import { secretsCipher } from "@/lib/crypto/secrets-cipher";
import { env } from "@/lib/env";

const NO_KEY_MESSAGE =
  "The server has no encryption key (FERNET_KEYS is not set), so QuantFlow will not store a DNSE token. Ask whoever runs QuantFlow to set FERNET_KEYS.";

const CLIENT_ID_REFUSED =
  "This client id cannot be used with this account. Check that it is your own DNSE client id; if it is, ask whoever runs QuantFlow.";

export async function saveBrokerAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, dnseCredentialsSchema, async (user, input) => {
    const result = await saveDnseCredentials(getDb(), secretsCipher(), user.id, input);
    if (result.ok) {
      revalidatePath("/settings/broker");
      return { ok: true, message: input.token ? "Saved. The token is stored encrypted." : "Client id saved; the stored token is unchanged." };
    }
    switch (result.error) {
      case "no_key":
        return { error: NO_KEY_MESSAGE };
      case "not_found":
        return SIGNED_OUT;
      case "client_id_taken":
        // Neutral on purpose: saying "another account has it" would tell anyone which client ids are in use.
        return { error: CLIENT_ID_REFUSED, fieldErrors: { clientId: CLIENT_ID_REFUSED } };
      case "not_a_jwt":
        return { error: NOT_A_JWT, fieldErrors: { token: NOT_A_JWT } };
      case "token_required":
        return { error: "Paste your DNSE token.", fieldErrors: { token: "Paste your DNSE token." } };
    }
  });
}

export async function testBrokerAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({}), async (user) => {
    const result = await testDnseConnection(getDb(), secretsCipher(), user.id, { userServiceUrl: env().DNSE_USER_SERVICE_URL });
    if (result.ok) {
      const { name, investorId } = result.investor;
      return {
        ok: true,
        message: `Connected to DNSE as ${name ?? "an unnamed investor"} (investor id ${investorId}).`,
        data: { name: name ?? null, investorId },
      };
    }
    if (result.error === "not_found") return SIGNED_OUT;
    return { error: result.message };
  });
}

export async function disconnectBrokerAction(_previous: ActionState, formData: FormData): Promise<ActionState> {
  return userAction(formData, z.object({}), async (user) => {
    const result = await disconnectDnse(getDb(), user.id);
    if (!result.ok) return SIGNED_OUT;
    revalidatePath("/settings/broker");
    return { ok: true, message: "Disconnected: the client id and the token are erased." };
  });
}
