import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { Provider } from "next-auth/providers";
import { z } from "zod";
import { findSignInUser, verifySignIn } from "@/lib/auth/sign-in";
import { Email } from "@/lib/services/provisioning/schemas";
import { env, oidcConfigured } from "@/lib/env";

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

function providers(): Provider[] {
  const list: Provider[] = [
    Credentials({
      id: "credentials",
      credentials: { email: {}, password: {}, workspace: {} },
      async authorize(raw) {
        const form = SignInForm.safeParse(raw);
        if (!form.success) throw new WrongCredentials();
        const outcome = await verifySignIn(form.data);
        if (outcome === "ambiguous") throw new AmbiguousEmail();
        if (outcome === "throttled") throw new Throttled();
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
  session: { strategy: "jwt", maxAge: 12 * 60 * 60 },
  // A wrong password is an everyday event, not a server error: one line, no stack trace.
  logger: {
    error(error: Error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") {
        console.warn(`[countersign] sign-in refused (${(error as CredentialsSignin).code ?? "credentials"})`);
        return;
      }
      console.error("[auth]", error);
    },
  },
  pages: { signIn: "/signin", error: "/signin" },
  callbacks: {
    // SSO signs in only people already provisioned (by email) in the SSO tenant; roles live here.
    async signIn({ account, profile }) {
      if (account?.provider !== "oidc") return true;
      if (typeof profile?.email !== "string" || profile.email_verified === false) return false;
      const user = await findSignInUser(profile.email.toLowerCase(), env().AUTH_OIDC_TENANT);
      return user !== null && user !== "ambiguous";
    },
    async jwt({ token, user, account, profile }) {
      if (account?.provider === "oidc" && typeof profile?.email === "string") {
        const found = await findSignInUser(profile.email.toLowerCase(), env().AUTH_OIDC_TENANT);
        if (found && found !== "ambiguous") Object.assign(token, { uid: found.id, tenant: found.tenantId });
      } else if (user && "tenant" in user) {
        Object.assign(token, { uid: user.id, tenant: user.tenant });
      }
      return token;
    },
    session({ session, token }) {
      if (typeof token.uid === "string") Object.assign(session.user, { id: token.uid, tenant: token.tenant });
      return session;
    },
  },
};

export const { handlers, auth, signIn, signOut } = NextAuth(authConfig);
