/** The framework's own ceiling for benchmarks: no database, no auth, a tiny JSON answer. */
export function GET(): Response {
  return Response.json({ ok: true });
}
