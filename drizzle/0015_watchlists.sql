-- The price board's per-user watchlist (issue 13, item 4): a table of our own, the seed's tables are
-- unchanged. One row per (user, symbol); `position` orders the list (new symbols go last). The symbol
-- must be one QuantFlow knows, and goes with it if it is ever removed; the rows go with their user.
CREATE TABLE watchlist_symbols (
    user_id   UUID NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    symbol    VARCHAR(20) NOT NULL REFERENCES market_symbols(symbol) ON DELETE CASCADE,
    position  INTEGER NOT NULL CHECK (position >= 0),
    added_at  TIMESTAMPTZ NOT NULL DEFAULT now(),
    CONSTRAINT watchlist_symbols_user_id_symbol_key UNIQUE (user_id, symbol)
);
--> statement-breakpoint
CREATE INDEX watchlist_symbols_user_id_position_idx ON watchlist_symbols (user_id, position);
