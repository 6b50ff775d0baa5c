/** What a console page for admins says to anyone else (the API would answer 403 insufficient_scope). */
export function AdminOnly({ what }: { what: string }) {
  return (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
      Only admins may {what} (your roles do not include admin).
    </p>
  );
}
