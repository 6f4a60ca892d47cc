/**
 * Puts the socket's address of every HTTP request into PEER_HEADER before Next sees it, overwriting a
 * header of that name sent by the client. Next keeps only X-Forwarded-For, which the client can write
 * (lib/auth/client-address.ts decides how far to trust it). Installed once by instrumentation-node.ts,
 * which runs in the process that owns Next's HTTP server.
 */
import http from "node:http";
import { PEER_HEADER } from "../auth/client-address";

const INSTALLED = Symbol.for("quantflow.peerAddress");

export function installPeerAddressHeader(): void {
  const proto = http.Server.prototype as http.Server & { [INSTALLED]?: boolean };
  if (proto[INSTALLED]) return;
  proto[INSTALLED] = true;
  const emit = proto.emit as (this: http.Server, event: string | symbol, ...args: unknown[]) => boolean;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers[PEER_HEADER] = req.socket?.remoteAddress ?? "";
    }
    return emit.call(this, event, ...args);
  } as typeof proto.emit;
}
