/** Reads until `ok` holds or `ms` pass, 50 ms apart; answers the last value read (the test asserts on it). */
export async function eventually<T>(read: () => Promise<T> | T, ok: (v: T) => boolean, ms = 5_000): Promise<T> {
  const end = Date.now() + ms;
  let value = await read();
  while (!ok(value) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, 50));
    value = await read();
  }
  return value;
}
