import { formatDateTimeVn } from "@/components/ui/datetime";
import styles from "@/components/workflow-runs/list.module.css";
import type { DeliveryRow } from "@/lib/notifications/delivery";

const KIND = { email: "E-mail", telegram: "Telegram", webhook: "Webhook" } as const;
const STATE = { queued: "Queued", sending: "Sending", retrying: "Retrying", sent: "Sent", failed: "Failed" } as const;

/** A run's notification deliveries (one per channel): sent, retrying, or failed with the reason and the attempts. */
export function RunDeliveries({ deliveries }: { deliveries: DeliveryRow[] }) {
  if (deliveries.length === 0) return null;
  return (
    <section className={styles.section} aria-labelledby="deliveries-title" data-testid="run-deliveries">
      <h2 id="deliveries-title" style={{ fontSize: "1rem", margin: "0 0 0.5rem" }}>
        Notifications sent
      </h2>
      <ul style={{ listStyle: "none", margin: 0, padding: 0, display: "grid", gap: 8 }}>
        {deliveries.map((d) => (
          <li key={d.id} data-testid="run-delivery" data-state={d.state}>
            <strong>{d.channelName}</strong> <span className={styles.muted}>({KIND[d.channelKind]})</span> · {STATE[d.state]}
            {d.attempts > 1 ? ` after ${d.attempts} attempts` : ""}
            {d.sentAt ? <span className={styles.muted}> · {formatDateTimeVn(d.sentAt)}</span> : null}
            {d.error && d.state !== "sent" ? (
              <p className={d.state === "failed" ? styles.nodeError : styles.muted} style={{ margin: "0.25rem 0 0" }}>
                {d.error}
              </p>
            ) : null}
          </li>
        ))}
      </ul>
    </section>
  );
}
