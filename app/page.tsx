import type { Metadata } from "next";
import Link from "next/link";
import { getSessionUser } from "@/app/_lib/session";
import { LogoMark } from "@/components/shell/icons";
import { NAV_ITEMS } from "@/components/shell/nav";
import { ThemeToggle } from "@/components/shell/ThemeToggle";
import styles from "./landing.module.css";

export const metadata: Metadata = {
  title: { absolute: "QuantFlow — workbench for Vietnamese stock analysts" },
};

const AREAS = NAV_ITEMS.filter((item) => item.area !== "settings");

const PRICE_COLOURS = [
  { cls: "price-ref", vi: "Tham chiếu", en: "Reference" },
  { cls: "price-ceiling", vi: "Trần", en: "Ceiling" },
  { cls: "price-floor", vi: "Sàn", en: "Floor" },
  { cls: "price-up", vi: "Tăng", en: "Up" },
  { cls: "price-down", vi: "Giảm", en: "Down" },
] as const;

// The header and the call to action depend on who is looking.
export const dynamic = "force-dynamic";

export default async function LandingPage() {
  // A signed-in visitor is offered the workbench, not sign-in links (a lookup failure reads as signed out).
  const user = await getSessionUser().catch(() => null);
  return (
    <div className={styles.page}>
      <header className={styles.header}>
        <Link href="/" className={styles.brand}>
          <LogoMark size={24} />
          <span>QuantFlow</span>
        </Link>
        <div className={styles.headerActions}>
          <ThemeToggle />
          {user ? (
            <>
              <span className={styles.signedInAs} data-testid="landing-user">
                Signed in as {user.email}
              </span>
              <Link href="/charts" className="btn btn-primary">
                Open the workbench
              </Link>
            </>
          ) : (
            <>
              <Link href="/login" className="btn">
                Sign in
              </Link>
              <Link href="/signup" className="btn btn-primary">
                Create account
              </Link>
            </>
          )}
        </div>
      </header>

      <main className={styles.main}>
        <section className={styles.hero} aria-labelledby="hero-title">
          <div className={styles.heroText}>
            <p className={styles.eyebrow}>HOSE · HNX · UPCOM</p>
            <h1 id="hero-title" className={styles.title}>
              The workbench for analysts of the Vietnamese stock market
            </h1>
            <p className={styles.lead}>
              Read candle charts from 1 minute to daily, build analyses visually from data to signals, trace an
              industry&apos;s value chain with measured lead times, and turn allocations into orders of whole lots — in
              Vietnam time, with the conventions of the price board you already read.
            </p>
            <div className={styles.cta}>
              <Link href="/charts" className="btn btn-primary btn-lg">
                Open the workbench
              </Link>
              {user ? (
                <>
                  <Link href="/workflows" className="btn btn-lg">
                    Your workflows
                  </Link>
                  <p className={styles.ctaNote}>Welcome back. Your workflows, allocations and broker connection are where you left them.</p>
                </>
              ) : (
                <>
                  <Link href="/signup" className="btn btn-lg">
                    Create an account
                  </Link>
                  <p className={styles.ctaNote}>
                    Sign in to open it: your workflows, allocations and broker connection are private to your account.
                  </p>
                </>
              )}
            </div>
          </div>

          <aside className={styles.board} aria-labelledby="board-title">
            <h2 id="board-title" className={styles.boardTitle}>
              Price-board colours, as on your broker&apos;s board
            </h2>
            <ul className={styles.colourList}>
              {PRICE_COLOURS.map((c) => (
                <li key={c.cls}>
                  <span className={`${styles.swatch} ${c.cls}`} aria-hidden="true" />
                  <span className={c.cls}>
                    <span lang="vi">{c.vi}</span>
                  </span>
                  <span className={styles.colourEn}>{c.en}</span>
                </li>
              ))}
            </ul>
          </aside>
        </section>

        <section className={styles.section} aria-labelledby="areas-title">
          <h2 id="areas-title" className={styles.sectionTitle}>
            What you will work with
          </h2>
          <p className={styles.sectionLead}>
            QuantFlow is being built area by area. Each one already opens and says what it will hold and when.
          </p>
          <ul className={styles.areas}>
            {AREAS.map((area) => (
              <li key={area.area} className={styles.areaCard}>
                <h3 className={styles.areaTitle}>
                  <Link href={area.href}>{area.label}</Link>
                </h3>
                <p>{area.summary}</p>
              </li>
            ))}
          </ul>
        </section>

        <section className={styles.section} aria-labelledby="market-title">
          <h2 id="market-title" className={styles.sectionTitle}>
            Native to the Vietnamese market
          </h2>
          <dl className={styles.facts}>
            <div>
              <dt>Time</dt>
              <dd>Every time in GMT+7; dates as 26/11/2026, never month first.</dd>
            </div>
            <div>
              <dt>Sessions</dt>
              <dd>
                HOSE ATO 09:00–09:15, continuous to 11:30 and 13:00–14:30, ATC to 14:45. No gaps on charts for the
                lunch break, nights or weekends.
              </dd>
            </div>
            <div>
              <dt>Price limits</dt>
              <dd>
                <span className="num">±7 %</span> on HOSE, <span className="num">±10 %</span> on HNX,{" "}
                <span className="num">±15 %</span> on UPCOM, around the reference price.
              </dd>
            </div>
            <div>
              <dt>Lots and ticks</dt>
              <dd>Board lots of 100 shares; HOSE ticks of 10, 50 or 100 ₫ by price band.</dd>
            </div>
            <div>
              <dt>Money</dt>
              <dd>
                VND with thousands separators (<span className="num">25,950 ₫</span>), or thousand VND (
                <span className="num">25.95</span>) where a board column says so.
              </dd>
            </div>
            <div>
              <dt>Broker</dt>
              <dd>Market data and your account from DNSE, with your token stored encrypted.</dd>
            </div>
          </dl>
        </section>
      </main>

      <footer className={styles.footer}>
        <p>QuantFlow — a workbench for HOSE, HNX and UPCOM analysts.</p>
        <Link href="/charts">Open the workbench</Link>
      </footer>
    </div>
  );
}
