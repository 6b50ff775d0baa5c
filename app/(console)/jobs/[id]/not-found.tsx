import Link from "next/link";

/** An unknown (or another workspace's) job id: say so, and offer the ways back. */
export default function JobNotFound() {
  return (
    <section aria-labelledby="nf-title" className="mx-auto max-w-xl space-y-3 rounded-md border border-slate-200 bg-white p-6">
      <h1 id="nf-title" className="text-xl font-bold">
        Request not found
      </h1>
      <p className="text-sm text-slate-700">
        There is no request with this id in your workspace. The link may be mistyped, or the request belongs to another workspace.
      </p>
      <p className="flex gap-4 text-sm">
        <Link href="/queue" className="text-blue-800 underline">
          ← Back to the queue
        </Link>
        <Link href="/history" className="text-blue-800 underline">
          Search the history
        </Link>
      </p>
    </section>
  );
}
