import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers";
import { z } from "zod";
import { clientAddress } from "@/lib/auth/client-address";
import { findSignInUser, verifySignIn } from "@/lib/auth/sign-in";
import { getDatabase } from "@/lib/db/client";
import { Email } from "@/lib/services/provisioning/schemas";
import { endSession, SESSION_MAX_AGE_S, startSession } from "@/lib/services/sessions";
import { env, oidcConfigured } from "@/lib/env";
import { log } from "@/lib/log";

const SignInForm = z.object({
  email: Email,
  password: z.string().min(1).max(1024),
  workspace: z
    .string()
    .trim()
    .max(63)
    .transform((s) => s || undefined)
    .optional(),
});

class WrongCredentials extends CredentialsSignin {
  code = "wrong_credentials";
}

class AmbiguousEmail extends CredentialsSignin {
  code = "workspace_required";
}

class Throttled extends CredentialsSignin {
  code = "too_many_attempts";
}

class ThrottledSource extends CredentialsSignin {
  code = "too_many_attempts_source";
}

/** A server-side session for who just signed in: the cookie names it, sign-out ends it. */
async function beginSession(token: Record<string, unknown>, who: { id: string; tenantId: string }): Promise<void> {
  const { db } = await getDatabase();
  const sid = await startSession(db, { userId: who.id, tenantId: who.tenantId }, new Date());
  Object.assign(token, { uid: who.id, tenant: who.tenantId, sid });
}

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      id: "credentials",
      credentials: { email: {}, password: {}, workspace: {} },
      async authorize(raw, request) {
        const form = SignInForm.safeParse(raw);
        if (!form.success) throw new WrongCredentials();
        const outcome = await verifySignIn(form.data, clientAddress(request.headers));
        if (outcome === "ambiguous") throw new AmbiguousEmail();
        if (outcome === "throttled") throw new Throttled();
        if (outcome === "throttled_source") throw new ThrottledSource();
        if (!outcome) throw new WrongCredentials();
        return { id: outcome.id, email: outcome.email, name: outcome.name, tenant: outcome.tenantId };
      },
    }),
  ];
  const e = env();
  if (oidcConfigured(e)) {
    list.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_CLIENT_ID,
      clientSecret: e.AUTH_OIDC_CLIENT_SECRET,
    });
  }
  return list;
}

export const authConfig: NextAuthConfig = {
  providers: providers(),
  secret: env().AUTH_SECRET,
  // Self-hosted: the host the request names is ours (cookie-riding writes are checked separately).
  trustHost: true,
  session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_S },
  // A wrong password is an everyday event, not a server error: one line, no stack trace.
  logger: {
    error(error: Error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") {
        log().warn({ code: (error as CredentialsSignin).code ?? "credentials" }, "sign-in refused");
        return;
      }
      log().error({ err: error }, "auth");
    },
  },
  pages: { signIn: "/signin", error: "/signin" },
  events: {
    // Also reached through next-auth's own /api/auth/signout; the console's sign-out action ends the
    // session itself first, so that a failure there is seen instead of logged.
    async signOut(message) {
      const sid = "token" in message ? message.token?.sid : undefined;
      if (typeof sid !== "string") return;
      const { db } = await getDatabase();
      await endSession(db, sid, new Date());
    },
  },
  callbacks: {
    // SSO signs in only people already provisioned (by email) in the SSO tenant; roles live here. The
    // provider must vouch for the email (`email_verified: true`, not merely absent): an account whose
    // email nobody verified could otherwise claim a provisioned person's address.
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      if (typeof profile?.email !== "string" || profile.email_verified !== true) return false;
      const user = await findSignInUser(profile.email.toLowerCase(), env().AUTH_OIDC_TENANT);
      return user !== null && user !== "ambiguous";
    },
    async jwt({ token, user, account, profile }) {
      if (account?.provider === "oidc" && typeof profile?.email === "string") {
        const found = await findSignInUser(profile.email.toLowerCase(), env().AUTH_OIDC_TENANT);
        if (found && found !== "ambiguous") await beginSession(token, found);
      } else if (user && "tenant" in user && typeof user.id === "string" && typeof user.tenant === "string") {
        await beginSession(token, { id: user.id, tenantId: user.tenant });
      }
      return token;
    },
    session({ session, token }) {
      // The session id is not a secret (votes name it); the cookie that carries it is sealed with AUTH_SECRET.
      if (typeof token.uid === "string") Object.assign(session.user, { id: token.uid, tenant: token.tenant, sid: token.sid });
      return session;
    },
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
