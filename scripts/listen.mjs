// Where `next start` listens, for every script that starts it. Loopback by default: `npm run demo`
// seeds people whose password README.md publishes, and a fresh checkout should not offer them to the
// whole network (Next alone listens on every interface). `HOST` widens it, e.g. HOST=0.0.0.0.

const LOOPBACK = "127.0.0.1";

/** The address to listen on: `HOST` when set (and not blank), else 127.0.0.1. */
export function listenHost(env = process.env) {
  return env.HOST?.trim() || LOOPBACK;
}

/** `next start` arguments for this port and address. */
export function nextStartArgs(port, host = listenHost()) {
  return ["start", "-p", String(port), "-H", host];
}

const isLoopback = (host) => host === "localhost" || host === "::1" || /^127\./.test(host);
const isWildcard = (host) => host === "0.0.0.0" || host === "::" || host === "[::]";

/** The address a person on this machine opens. */
export function localUrl(host, port) {
  if (isLoopback(host) || isWildcard(host)) return `http://localhost:${port}`;
  return `http://${host.includes(":") && !host.startsWith("[") ? `[${host}]` : host}:${port}`;
}

/** The start line's word on who can reach the server, and how to change it. */
export function reachLine(host) {
  if (isLoopback(host)) return `listening on ${host} only: this machine. Set HOST (e.g. HOST=0.0.0.0) to accept other machines.`;
  const who = isWildcard(host) ? "every interface: other machines can reach it" : "other machines on that network can reach it";
  return `listening on ${host} (HOST): ${who}. Unset HOST to listen on 127.0.0.1 only.`;
}
