import http from "node:http";
import { env } from "@/lib/env";

/**
 * The address a request came from, for throttling sign-in per source. Next hands a route the peer's
 * address only as X-Forwarded-For, which it fills in from the socket when the request has none
 * (`??=`). With COUNTERSIGN_TRUSTED_PROXIES = N > 0, the N proxies in front each append the address
 * they saw, so the client is the N-th entry from the right (anything left of it is the client's own
 * say). With no trusted proxy, the server replaces whatever the client sent with the socket's address
 * as the request arrives (stampPeerAddress), so the one entry is the peer.
 */
export function clientAddress(headers: Headers): string {
  const chain = (headers.get("x-forwarded-for") ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (chain.length === 0) return "unknown";
  const hops = Math.max(1, env().COUNTERSIGN_TRUSTED_PROXIES);
  // Fewer entries than proxies: a proxy was bypassed or misconfigured; the leftmost is the best guess.
  return chain[Math.max(0, chain.length - hops)]!;
}

const STAMPED = Symbol.for("countersign.peerAddress");

/**
 * With no trusted proxy, overwrite X-Forwarded-For on every incoming request with the socket's address,
 * before Next sees it: otherwise a client could name a fresh source on each sign-in attempt. Patches
 * `http.Server.prototype.emit`, since `next start` owns the server object. Installed when the server
 * starts (lib/server/lifecycle.ts), which Next does at the first request: requests that arrive before
 * that has finished keep what the client sent (still throttled per email).
 */
export function stampPeerAddress(): void {
  if (env().COUNTERSIGN_TRUSTED_PROXIES > 0) return;
  const proto = http.Server.prototype as unknown as Record<symbol, unknown> & { emit: (event: string | symbol, ...args: unknown[]) => boolean };
  if (proto[STAMPED]) return;
  proto[STAMPED] = true;
  const emit = proto.emit;
  proto.emit = function (this: http.Server, event: string | symbol, ...args: unknown[]) {
    if (event === "request") {
      const req = args[0] as http.IncomingMessage;
      req.headers["x-forwarded-for"] = req.socket.remoteAddress ?? "unknown";
    }
    return emit.call(this, event, ...args);
  };
}
