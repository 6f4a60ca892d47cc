import type { CSSProperties } from "react";
import styles from "./ui.module.css";

/** A grey placeholder block shown while a page's content loads (no spinners over blank pages). */
export function Skeleton({ width = "100%", height = 14, style }: { width?: CSSProperties["width"]; height?: CSSProperties["height"]; style?: CSSProperties }) {
  return <span className={styles.skeleton} style={{ width, height, ...style }} aria-hidden="true" />;
}

/** The loading state of a workbench page: a title line, a description line and a content card. */
export function PageSkeleton() {
  return (
    <div role="status" aria-live="polite" className={styles.pageSkeleton}>
      <span className="visually-hidden">Loading…</span>
      <Skeleton width={180} height={26} />
      <Skeleton width="min(520px, 80%)" height={14} />
      <div className={styles.skeletonCard}>
        <Skeleton width="40%" height={18} />
        <Skeleton width="90%" />
        <Skeleton width="85%" />
        <Skeleton width="70%" />
        <Skeleton width="60%" />
      </div>
    </div>
  );
}
