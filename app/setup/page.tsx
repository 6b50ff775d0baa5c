import type { Metadata } from "next";
import Link from "next/link";
import { getDatabase } from "@/lib/db/client";
import { needsFirstAdmin } from "@/lib/services/provisioning/first-admin";
import { SetupForm } from "./_components/setup-form";

export const metadata: Metadata = { title: "First run" };
export const dynamic = "force-dynamic";

export default async function SetupPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const { code } = await searchParams;
  const { db } = await getDatabase();
  const open = await needsFirstAdmin(db);
  return (
    <main className="mx-auto flex min-h-screen max-w-sm flex-col justify-center px-4 py-12">
      <h1 className="mb-1 text-2xl font-bold">Set up Countersign</h1>
      {!open ? (
        <p className="text-sm">
          Setup is done: this installation already has people. <Link href="/signin" className="text-blue-800 underline">Sign in</Link>.
        </p>
      ) : typeof code !== "string" ? (
        <p role="alert" className="text-sm">
          Open the setup link the server printed when it started (it carries a one-time code): the line &ldquo;first run: create
          the first admin at …&rdquo; in the terminal of <code>npm start</code>, or in the server&apos;s log.
        </p>
      ) : (
        <>
          <p className="mb-6 text-sm text-slate-600">
            Create the first admin. You can then add reviewers on the People page. This link stops working once anyone exists.
          </p>
          <SetupForm code={code} />
        </>
      )}
    </main>
  );
}
