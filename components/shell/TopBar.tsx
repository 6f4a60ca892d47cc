import { MarketSnapshotPlaceholder } from "./MarketSnapshotPlaceholder";
import { SymbolSearch } from "./SymbolSearch";
import { ThemeToggle } from "./ThemeToggle";
import styles from "./shell.module.css";

/** Symbol search, the market snapshot strip, the time zone note and the theme switch. */
export function TopBar() {
  return (
    <header className={styles.topbar}>
      <SymbolSearch />
      <MarketSnapshotPlaceholder />
      <p className={styles.tz}>
        <span className={styles.tzLead}>Times in </span>GMT+7
      </p>
      <ThemeToggle />
    </header>
  );
}
