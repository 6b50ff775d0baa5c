import type { Metadata } from "next";
import Link from "next/link";
import { authSecret } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db/client";
import { ServiceError } from "@/lib/services/errors";
import { PasswordLink, readPasswordLink } from "@/lib/services/provisioning/password-link";
import { SetPasswordForm } from "./_components/set-password-form";

export const metadata: Metadata = { title: "Set your password" };
export const dynamic = "force-dynamic";

type Params = Record<string, string | string[] | undefined>;

/** Where an invited (or locked-out) person lands from the one-time link an admin gave them. */
export default async function SetPasswordPage({ searchParams }: { searchParams: Promise<Params> }) {
  const params = await searchParams;
  const parsed = PasswordLink.safeParse({ u: params.u, e: params.e, c: params.c });
  let problem: string | null = parsed.success ? null : "This link is incomplete: open the whole link your admin sent.";
  let email = "";
  if (parsed.success) {
    try {
      const { db } = await getDatabase();
      email = (await readPasswordLink(db, authSecret(), parsed.data, new Date())).email;
    } catch (err) {
      if (!(err instanceof ServiceError)) throw err;
      problem = err.message;
    }
  }
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-12">
      <h1 className="mb-1 text-2xl font-bold">Set your password</h1>
      {problem || !parsed.success ? (
        <p role="alert" className="text-sm">
          {problem} <Link href="/signin" className="text-blue-800 underline">Sign in</Link>
        </p>
      ) : (
        <>
          <p className="mb-6 text-sm text-slate-600">
            For <strong>{email}</strong>. This link works once: after this you sign in with your email and this password.
          </p>
          <SetPasswordForm link={{ u: parsed.data.u, e: String(parsed.data.e), c: parsed.data.c }} email={email} />
        </>
      )}
    </main>
  );
}
