/**
 * A real Mosquitto set up as DNSE's broker is documented (DNSE "LightSpeed API_KRX", Market Data § 2.1
 * "Môi trường", copied in manhngodh/dnse-trading-bot, "DNSE documents/dnse_docmuments.md" @
 * 6137f5609113256afa7e8b0dd4195404d152e08d): MQTT over a TLS WebSocket (wss, path /wss), username = the
 * investor id, password = the JWT; MQTT 5 and QoS 1 as the sample client in the same repository,
 * backend/mqtt.py @ 0bdf0c96d3cdce3d88c2197afa4ef9e363d52ab4. Each start generates a CA and a server certificate for 127.0.0.1
 * and localhost (openssl), a password file holding one investor id and token (mosquitto_passwd -b),
 * and runs /usr/sbin/mosquitto on free ports: the wss listener, and a plain MQTT listener on
 * 127.0.0.1 with the same password file for the tests' publisher (Mosquitto 2.0 starts no
 * websockets-only configuration). Mosquitto's websockets listener answers any path, /wss included.
 *
 * `mosquittoMissing()` says why it cannot run here (no mosquitto, mosquitto_passwd or openssl).
 */
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";

export const MOSQUITTO = process.env.MOSQUITTO_BIN ?? "/usr/sbin/mosquitto";

function which(bin: string): boolean {
  try {
    execFileSync("sh", ["-c", `command -v ${bin}`], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

/** Why the TLS/WebSocket broker cannot run here, or undefined when it can. */
export function mosquittoMissing(): string | undefined {
  if (!existsSync(MOSQUITTO)) return `${MOSQUITTO} is not installed`;
  if (!which("mosquitto_passwd")) return "mosquitto_passwd is not installed";
  if (!which("openssl")) return "openssl is not installed";
  return undefined;
}

export interface DnseBroker {
  /** wss://127.0.0.1:<port>/wss */
  wssUrl: string;
  /** mqtt://127.0.0.1:<port>, same credentials: for publishing. */
  mqttUrl: string;
  /** The CA that signed the server's certificate (PEM), and its file. */
  caPem: string;
  caFile: string;
  /** The certificate authority's name, as the issuer of the server's certificate. */
  issuer: string;
  /** What Mosquitto logged (connections with their client id and username). */
  log: () => string;
  /** Makes the broker take a new token for the investor (the password file rewritten, SIGHUP). */
  setToken(token: string): Promise<void>;
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function listening(port: number, ms: number): Promise<void> {
  const end = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1");
      socket.once("connect", () => (socket.destroy(), resolve(true)));
      socket.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > end) throw new Error(`Mosquitto did not listen on ${port} within ${ms} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function startDnseBroker(account: { investorId: string; token: string }): Promise<DnseBroker> {
  const dir = mkdtempSync(path.join(tmpdir(), "qf-dnse-broker-"));
  const file = (name: string) => path.join(dir, name);
  const issuer = "QuantFlow Test CA";
  const openssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
  openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", `/CN=${issuer}/O=QuantFlow tests`);
  openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost");
  writeFileSync(file("ext.cnf"), "subjectAltName=DNS:localhost,IP:127.0.0.1\n");
  openssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf");
  execFileSync("mosquitto_passwd", ["-c", "-b", file("passwords"), account.investorId, account.token], { stdio: "pipe" });

  const [wssPort, mqttPort] = [await freePort(), await freePort()];
  writeFileSync(
    file("mosquitto.conf"),
    [
      "per_listener_settings false",
      "allow_anonymous false",
      `password_file ${file("passwords")}`,
      "connection_messages true",
      `log_dest file ${file("mosquitto.log")}`,
      "log_type error",
      "log_type warning",
      "log_type notice",
      "log_type information",
      // Mosquitto drops root to the mosquitto user, which could not read this directory.
      ...(process.getuid?.() === 0 ? ["user root"] : []),
      `listener ${mqttPort} 127.0.0.1`,
      `listener ${wssPort}`,
      "protocol websockets",
      `certfile ${file("server.pem")}`,
      `keyfile ${file("server.key")}`,
      "",
    ].join("\n"),
  );
  let output = "";
  const child: ChildProcess = spawn(MOSQUITTO, ["-c", file("mosquitto.conf")], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout!.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr!.on("data", (d: Buffer) => (output += d.toString()));
  try {
    await Promise.all([listening(wssPort, 10_000), listening(mqttPort, 10_000)]);
  } catch (error) {
    child.kill("SIGKILL");
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`${(error as Error).message}; Mosquitto said: ${output.trim()}`);
  }
  return {
    wssUrl: `wss://127.0.0.1:${wssPort}/wss`,
    mqttUrl: `mqtt://127.0.0.1:${mqttPort}`,
    caPem: readFileSync(file("ca.pem"), "utf8"),
    caFile: file("ca.pem"),
    issuer,
    setToken: async (token) => {
      execFileSync("mosquitto_passwd", ["-b", file("passwords"), account.investorId, token], { stdio: "pipe" });
      child.kill("SIGHUP");
      await new Promise((r) => setTimeout(r, 300)); // reloaded
    },
    log: () => (existsSync(file("mosquitto.log")) ? readFileSync(file("mosquitto.log"), "utf8") : "") + output,
    stop: () =>
      new Promise<void>((resolve) => {
        const done = () => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        };
        if (child.exitCode !== null) return done();
        child.once("exit", done);
        child.kill("SIGTERM");
      }),
  };
}
