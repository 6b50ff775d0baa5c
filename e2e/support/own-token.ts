/**
 * A person's own API token, made the only way one that can approve may be made: the person signs in
 * (next-auth's credentials route, over HTTP) and mints it with that session. Plain fetch, so specs that
 * drive servers they start themselves can use it too.
 */
export interface SignedInPerson {
  id: string;
  email: string;
  password: string;
  /** The workspace to sign in to, when the email exists in several. */
  tenant?: string;
}

function cookieJar() {
  const jar = new Map<string, string>();
  return {
    take(res: Response) {
      for (const line of res.headers.getSetCookie()) {
        const pair = line.split(";")[0]!;
        const eq = pair.indexOf("=");
        jar.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
      }
    },
    header: () => [...jar].map(([k, v]) => `${k}=${v}`).join("; "),
    has: (name: string) => Boolean(jar.get(name)),
  };
}

export async function ownToken(base: string, who: SignedInPerson, body: { name: string; scopes: string[]; expires_at?: string }): Promise<string> {
  const origin = new URL(base).origin;
  const jar = cookieJar();
  const csrf = await fetch(`${origin}/api/auth/csrf`);
  jar.take(csrf);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const form = new URLSearchParams({ csrfToken, email: who.email, password: who.password, workspace: who.tenant ?? "", callbackUrl: `${origin}/queue` });
  const signedIn = await fetch(`${origin}/api/auth/callback/credentials`, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded", cookie: jar.header(), origin },
    body: form,
    redirect: "manual",
  });
  jar.take(signedIn);
  if (!jar.has("authjs.session-token")) throw new Error(`sign-in as ${who.email} failed: ${signedIn.status} ${signedIn.headers.get("location")}`);
  const minted = await fetch(`${origin}/api/v1/admin/tokens`, {
    method: "POST",
    headers: { "content-type": "application/json", cookie: jar.header(), origin },
    body: JSON.stringify({ kind: "user", user_id: who.id, ...body }),
  });
  const text = await minted.text();
  if (minted.status !== 201) throw new Error(`minting ${who.email}'s token: ${minted.status} ${text}`);
  return (JSON.parse(text) as { token: string }).token;
}
