import http from "node:http";
import type { AddressInfo } from "node:net";

/** One Web API call as the stand-in received it: the method and its arguments, decoded. */
export interface SlackApiCall {
  method: string;
  token: string | undefined;
  args: Record<string, any>;
  answer: Record<string, any>;
}

/**
 * A local stand-in for the part of Slack's Web API Countersign uses (chat.postMessage, chat.update,
 * views.open, users.info), answering as Slack does and recording every call. `down` makes it answer
 * 503, as Slack does in an outage. Point SLACK_API_URL at `url`.
 */
export async function startSlackStub(people: Record<string, { email: string; verified: boolean }> = {}) {
  const calls: SlackApiCall[] = [];
  const state = { down: false, n: 0 };
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const method = (req.url ?? "").replace(/^\/api\//, "").split("?")[0]!;
      if (state.down) {
        res.writeHead(503, { "content-type": "text/plain" }).end("service unavailable");
        return;
      }
      // @slack/web-api sends arguments form-encoded, with objects (blocks, view) as JSON text.
      const args: Record<string, any> = {};
      if ((req.headers["content-type"] ?? "").includes("json")) Object.assign(args, JSON.parse(body || "{}"));
      else
        for (const [k, v] of new URLSearchParams(body)) {
          try {
            args[k] = /^[[{]/.test(v) ? JSON.parse(v) : v;
          } catch {
            args[k] = v;
          }
        }
      const answer =
        method === "chat.postMessage"
          ? { ok: true, channel: args.channel, ts: `1700000000.${String(++state.n).padStart(6, "0")}` }
          : method === "chat.update"
            ? { ok: true, channel: args.channel, ts: args.ts }
            : method === "views.open"
              ? { ok: true, view: { id: `V${++state.n}` } }
              : method === "users.info"
                ? people[args.user]
                  ? { ok: true, user: { id: args.user, is_email_confirmed: people[args.user]!.verified, profile: { email: people[args.user]!.email } } }
                  : { ok: false, error: "user_not_found" }
                : { ok: false, error: "unknown_method" };
      calls.push({ method, token: req.headers.authorization?.replace(/^Bearer /, ""), args, answer });
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(answer));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/`;
  return { url, calls, state, close: () => new Promise<void>((r) => server.close(() => r())) };
}
