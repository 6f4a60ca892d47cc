import { NotificationBell } from "@/components/notifications/NotificationBell";
import { MarketSnapshot } from "./MarketSnapshot";
import { SymbolSearch } from "./SymbolSearch";
import { ThemeToggle } from "./ThemeToggle";
import { UserMenu } from "./UserMenu";
import styles from "./shell.module.css";

/** Symbol search, the market snapshot strip, the time zone note, the notification bell, the theme switch and the user. */
export function TopBar({ userEmail }: { userEmail: string }) {
  return (
    <header className={styles.topbar}>
      <SymbolSearch />
      <MarketSnapshot />
      <p className={styles.tz}>
        <span className={styles.tzLead}>Times in </span>GMT+7
      </p>
      <NotificationBell />
      <ThemeToggle />
      <UserMenu email={userEmail} />
    </header>
  );
}
