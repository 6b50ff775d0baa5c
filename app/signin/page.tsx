import type { Metadata } from "next";
import { redirect } from "next/navigation";
import Link from "next/link";
import { currentPrincipal } from "@/lib/auth/viewer";
import { getDatabase } from "@/lib/db/client";
import { setupLinkApplies } from "@/lib/services/provisioning/first-admin";
import { env, oidcConfigured } from "@/lib/env";
import { PasswordForm } from "./_components/password-form";
import { safeNext, signInWithSso } from "./actions";

export const metadata: Metadata = { title: "Sign in" };

// Auth.js redirects here with ?error=… when an SSO sign-in is refused.
const SSO_ERRORS: Record<string, string> = {
  AccessDenied: "Your single sign-on account is not provisioned in Countersign. Ask an admin to add your email.",
  Configuration: "Sign-in is misconfigured on this server. Tell your admin.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const params = await searchParams;
  const next = await safeNext(typeof params.next === "string" ? params.next : typeof params.callbackUrl === "string" ? callbackPath(params.callbackUrl) : null);
  if (await currentPrincipal()) redirect(next);
  const { db } = await getDatabase();
  const fresh = await setupLinkApplies(db);
  const error = typeof params.error === "string" ? (SSO_ERRORS[params.error] ?? "Sign-in failed. Try again.") : null;
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-12">
      <h1 className="mb-1 text-2xl font-bold">Countersign</h1>
      <p className="mb-6 text-sm text-slate-600">Sign in to review what your agents want to do.</p>
      {fresh && <FirstRunHint />}
      {params.signed_out && (
        <p role="status" className="mb-4 rounded-md border border-slate-200 bg-white px-3 py-2 text-sm">
          You are signed out.
        </p>
      )}
      {error && (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-800">
          {error}
        </p>
      )}
      <PasswordForm next={next} />
      {oidcConfigured() && (
        <form action={signInWithSso} className="mt-4">
          <input type="hidden" name="next" value={next} />
          <button type="submit" className="w-full rounded-md border border-slate-300 bg-white px-4 py-2 text-sm font-semibold hover:bg-slate-100">
            Continue with {env().AUTH_OIDC_NAME}
          </button>
        </form>
      )}
    </main>
  );
}

/**
 * A fresh install has nobody to sign in as. The code itself is never shown here (whoever opened this
 * page first would become the admin): only where the server printed it.
 */
function FirstRunHint() {
  return (
    <section aria-labelledby="first-run" className="mb-6 rounded-md border border-amber-300 bg-amber-50 px-3 py-3 text-sm text-slate-900">
      <h2 id="first-run" className="font-semibold">
        First run: no admin yet
      </h2>
      <p className="mt-1">
        Create the first admin with the one-time <strong>setup link</strong> the server printed when it started: the line{" "}
        <code className="break-all">first run: create the first admin at …/setup?code=…</code> in the terminal of{" "}
        <code>npm start</code> (or the server&apos;s log). Then add people on the People page.
      </p>
      <p className="mt-1">
        <Link href="/setup" className="text-blue-800 underline">
          About the setup link
        </Link>
      </p>
    </section>
  );
}

/** Auth.js passes an absolute callbackUrl; keep only its path. */
function callbackPath(url: string): string | null {
  try {
    const u = new URL(url, "http://local");
    return u.pathname + u.search;
  } catch {
    return null;
  }
}
