"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { Field, FormMessage } from "@/components/forms/Field";
import form from "@/components/forms/form.module.css";
import { formatDateTimeVn } from "@/components/ui/datetime";
import styles from "./notifications.module.css";

export interface ChannelItem {
  id: string;
  kind: "email" | "telegram" | "webhook";
  name: string;
  target: string;
  secretStored: boolean;
  consecutiveFailures: number;
  paused: boolean;
  pausedAt: string | null;
  pausedReason: string | null;
  createdAt: string;
}

export interface ChannelsAnswer {
  emailAvailable: boolean;
  emailUnavailableReason: string | null;
  encryptionConfigured: boolean;
  channels: ChannelItem[];
}

const KEY = ["notification-channels"] as const;
const KIND_LABEL = { email: "E-mail", telegram: "Telegram", webhook: "Webhook" } as const;

async function call<T>(url: string, init?: RequestInit): Promise<T> {
  const res = await fetch(url, { cache: "no-store", ...init, headers: { "content-type": "application/json", ...(init?.headers ?? {}) } });
  const body = (await res.json().catch(() => ({}))) as T & { error?: string };
  if (!res.ok) throw Object.assign(new Error(body.error ?? `The server answered ${res.status}.`), { body });
  return body;
}

/** Settings → Notifications: the user's channels, "Send a test" with the answer, delete, and the forms to add one. */
export function ChannelsManager({ initial }: { initial: ChannelsAnswer }) {
  const client = useQueryClient();
  const q = useQuery({ queryKey: KEY, queryFn: () => call<ChannelsAnswer>("/api/notification-channels"), initialData: initial });
  const refresh = () => client.invalidateQueries({ queryKey: KEY });
  const data = q.data;
  return (
    <>
      <section className={form.card} aria-labelledby="channels-title" data-testid="channels">
        <h2 id="channels-title" className={form.cardTitle}>
          Your channels
        </h2>
        {data.channels.length === 0 ? (
          <p className={form.cardLead}>No channels yet: alerts go to the notification centre only. Add one below.</p>
        ) : (
          <ul className={styles.list}>
            {data.channels.map((c) => (
              <ChannelRow key={c.id} c={c} onChanged={refresh} />
            ))}
          </ul>
        )}
      </section>
      <AddChannel data={data} onAdded={refresh} />
    </>
  );
}

function ChannelRow({ c, onChanged }: { c: ChannelItem; onChanged: () => void }) {
  const test = useMutation({
    mutationFn: () => call<{ ok: true; answer: string }>(`/api/notification-channels/${c.id}/test`, { method: "POST" }),
    onSettled: onChanged,
  });
  const remove = useMutation({ mutationFn: () => call(`/api/notification-channels/${c.id}`, { method: "DELETE" }), onSuccess: onChanged });
  return (
    <li className={styles.item} data-testid="channel" data-kind={c.kind}>
      <span className={`${styles.dot} ${c.paused ? styles.warning : styles.info}`} aria-hidden="true" />
      <div>
        <h3 className={styles.title}>
          {c.name} <span className={styles.meta}>· {KIND_LABEL[c.kind]}</span>
        </h3>
        <p className={`${styles.meta} ${form.mono}`} style={{ overflowWrap: "anywhere" }}>
          {c.target}
          {c.secretStored ? (c.kind === "telegram" ? " · bot token stored encrypted" : " · signing secret stored encrypted") : ""}
        </p>
        {c.paused ? (
          <p className={styles.body} role="note">
            Paused {c.pausedAt ? `since ${formatDateTimeVn(new Date(c.pausedAt))}` : ""}: {c.pausedReason} A test that passes resumes it.
          </p>
        ) : c.consecutiveFailures > 0 ? (
          <p className={styles.meta}>{c.consecutiveFailures} failed deliveries in a row</p>
        ) : null}
        {test.isSuccess ? (
          <p role="status" className={form.success} data-testid="channel-test-result">
            Test sent: {test.data.answer}.
          </p>
        ) : test.error ? (
          <p role="alert" className={form.alert} data-testid="channel-test-result">
            Test failed: {test.error.message}
          </p>
        ) : null}
        {remove.error ? (
          <p role="alert" className={form.alert}>
            {remove.error.message}
          </p>
        ) : null}
      </div>
      <div className={styles.side}>
        <button type="button" className="btn" onClick={() => test.mutate()} disabled={test.isPending}>
          {test.isPending ? "Sending…" : "Send a test"}
        </button>
        <button type="button" className={`btn ${form.dangerButton}`} onClick={() => confirm(`Delete the channel "${c.name}"?`) && remove.mutate()} disabled={remove.isPending}>
          Delete
        </button>
      </div>
    </li>
  );
}

function AddChannel({ data, onAdded }: { data: ChannelsAnswer; onAdded: () => void }) {
  const [kind, setKind] = useState<ChannelItem["kind"]>(data.emailAvailable ? "email" : "webhook");
  const [error, setError] = useState<{ message: string; field?: string }>();
  const [created, setCreated] = useState<{ name: string; signingSecret?: string }>();
  const add = useMutation({
    mutationFn: (body: Record<string, string>) => call<{ channel: ChannelItem; signingSecret?: string }>("/api/notification-channels", { method: "POST", body: JSON.stringify(body) }),
    onSuccess: (answer, body) => {
      setError(undefined);
      setCreated({ name: body.name!, ...(answer.signingSecret ? { signingSecret: answer.signingSecret } : {}) });
      onAdded();
    },
    onError: (e: Error & { body?: { field?: string } }) => setError({ message: e.message, ...(e.body?.field ? { field: e.body.field } : {}) }),
  });
  const submit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values = Object.fromEntries(new FormData(event.currentTarget).entries()) as Record<string, string>;
    setCreated(undefined);
    add.mutate({ ...values, kind });
  };
  const needsKey = kind !== "email" && !data.encryptionConfigured;
  const disabled = (kind === "email" && !data.emailAvailable) || needsKey;
  const fieldError = (name: string) => (error?.field === name ? error.message : undefined);
  return (
    <section className={form.card} aria-labelledby="add-title">
      <h2 id="add-title" className={form.cardTitle}>
        Add a channel
      </h2>
      <div className={form.buttonRow} role="radiogroup" aria-label="Kind of channel" style={{ marginBottom: 14 }}>
        {(["email", "telegram", "webhook"] as const).map((k) => (
          <button key={k} type="button" role="radio" aria-checked={kind === k} className={kind === k ? "btn btn-primary" : "btn"} onClick={() => (setKind(k), setError(undefined), setCreated(undefined))}>
            {KIND_LABEL[k]}
          </button>
        ))}
      </div>
      {kind === "email" && !data.emailAvailable ? (
        <p role="note" className={form.info} data-testid="email-unavailable">
          E-mail is unavailable: {data.emailUnavailableReason}
        </p>
      ) : null}
      {needsKey ? (
        <p role="note" className={form.info}>
          The server has no encryption key (FERNET_KEYS), so it will not store a bot token or a signing secret.
        </p>
      ) : null}
      {created ? (
        <div role="status" className={form.success} data-testid="channel-created">
          Added “{created.name}”.
          {created.signingSecret ? (
            <>
              {" "}
              Its signing secret, shown this once — copy it into your receiver now:
              <code className={form.mono} data-testid="signing-secret" style={{ display: "block", marginTop: 6, overflowWrap: "anywhere" }}>
                {created.signingSecret}
              </code>
            </>
          ) : null}
        </div>
      ) : null}
      <form key={kind} className={form.form} onSubmit={submit} noValidate style={{ marginTop: 12 }}>
        <FormMessage error={error && !error.field ? error.message : undefined} testId="channel-add-error" />
        <Field id="channel-name" name="name" label="Name" hint="How the Alert node's Channels parameter names it, e.g. Desk." maxLength={60} error={fieldError("name")} disabled={disabled} required />
        {kind === "email" ? (
          <Field id="channel-address" name="address" type="email" label="E-mail address" autoComplete="email" error={fieldError("address")} disabled={disabled} required />
        ) : kind === "telegram" ? (
          <>
            <Field id="channel-token" name="botToken" type="password" label="Bot token" hint="From @BotFather, like 123456789:AA…; stored encrypted, never shown again." autoComplete="off" mono error={fieldError("botToken")} disabled={disabled} required />
            <Field id="channel-chat" name="chatId" label="Chat id" hint="A number (groups: -100…) or @channelname; add the bot to the chat first." mono error={fieldError("chatId")} disabled={disabled} required />
          </>
        ) : (
          <Field id="channel-url" name="url" type="url" label="Webhook URL" hint="https://… (a private address only if the operator allows it)." mono error={fieldError("url")} disabled={disabled} required />
        )}
        <div className={form.actions}>
          <button type="submit" className="btn btn-primary" disabled={disabled || add.isPending}>
            {add.isPending ? "Adding…" : `Add ${KIND_LABEL[kind].toLowerCase()} channel`}
          </button>
        </div>
      </form>
    </section>
  );
}
