/**
 * The console's sign-in and sign-out exactly as a browser does them: through next-auth's own route
 * handlers (app/api/auth/[...nextauth]), with its CSRF double-submit cookie, against the real database.
 */
import { handlers } from "@/auth";

type NextAuthHandler = (req: Request) => Promise<Response>;
const GET = handlers.GET as unknown as NextAuthHandler;
const POST = handlers.POST as unknown as NextAuthHandler;
const BASE = "http://localhost:3000";
export const SESSION_COOKIE = "authjs.session-token";

/** The cookies one browser holds, as Set-Cookie left them. */
export class Browser {
  readonly cookies = new Map<string, string>();

  constructor(readonly source = "203.0.113.7") {}

  header(): string {
    return [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; ");
  }

  /** Just the session cookie (what someone who copied it would hold), or null. */
  session(): string | null {
    const v = this.cookies.get(SESSION_COOKIE);
    return v ? `${SESSION_COOKIE}=${v}` : null;
  }

  private absorb(res: Response): void {
    for (const line of res.headers.getSetCookie()) {
      const [pair, ...attrs] = line.split(";");
      const eq = pair!.indexOf("=");
      const name = pair!.slice(0, eq).trim();
      const value = pair!.slice(eq + 1).trim();
      const expired = attrs.some((a) => /max-age=0\b/i.test(a.trim()) || /expires=thu, 01 jan 1970/i.test(a.trim()));
      if (!value || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  private async send(handler: NextAuthHandler, path: string, form?: Record<string, string>): Promise<Response> {
    const headers: Record<string, string> = { cookie: this.header(), "x-forwarded-for": this.source };
    let body: string | undefined;
    if (form) {
      body = new URLSearchParams(form).toString();
      headers["content-type"] = "application/x-www-form-urlencoded";
      headers.origin = BASE;
    }
    const res = await handler(new Request(new URL(path, BASE), { method: form ? "POST" : "GET", headers, body, redirect: "manual" }));
    this.absorb(res);
    return res;
  }

  private async csrf(): Promise<string> {
    const res = await this.send(GET, "/api/auth/csrf");
    return ((await res.json()) as { csrfToken: string }).csrfToken;
  }

  /** Email and password sign-in; the error code next-auth redirects with, or null when signed in. */
  async signIn(email: string, password: string, workspace = ""): Promise<string | null> {
    const csrfToken = await this.csrf();
    const res = await this.send(POST, "/api/auth/callback/credentials", { csrfToken, email, password, workspace, callbackUrl: `${BASE}/queue` });
    const location = new URL(res.headers.get("location") ?? "/", BASE);
    if (location.searchParams.get("error")) return location.searchParams.get("code") ?? location.searchParams.get("error");
    return this.session() ? null : "no_session";
  }

  /** Sign-out through next-auth's own route. */
  async signOut(): Promise<void> {
    const csrfToken = await this.csrf();
    await this.send(POST, "/api/auth/signout", { csrfToken, callbackUrl: `${BASE}/signin` });
  }
}
