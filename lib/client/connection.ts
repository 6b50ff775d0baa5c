/**
 * Whether the console can reach its server, for the whole tab. Lost when a request fails at the network
 * (or with a gateway error), when the browser goes offline, or when the live stream drops and a health
 * probe confirms it; found again when any request succeeds. While lost it probes /api/health.
 */
export interface Connection {
  lost: boolean;
  /** When it was lost (ms), so clocks can stop at the last moment the data was known true. */
  since: number | null;
}

let state: Connection = { lost: false, since: null };
const listeners = new Set<() => void>();
let probe: ReturnType<typeof setTimeout> | null = null;
const onRestore = new Set<() => void>();

function set(next: Connection) {
  if (next.lost === state.lost) return;
  state = next;
  for (const l of listeners) l();
}

export function markLost(): void {
  if (!state.lost) set({ lost: true, since: Date.now() });
  probe ??= setTimeout(checkHealth, 3_000);
}

export function markFound(): void {
  if (probe) clearTimeout(probe);
  probe = null;
  if (!state.lost) return;
  set({ lost: false, since: null });
  for (const f of onRestore) f();
}

/** Ask the server whether it is there; `markLost` keeps probing until it answers. */
export async function checkHealth(): Promise<boolean> {
  probe = null;
  const ok = await fetch("/api/health", { cache: "no-store", signal: AbortSignal.timeout(5_000) })
    .then((r) => r.ok)
    .catch(() => false);
  if (ok) markFound();
  else markLost();
  return ok;
}

/** Run `f` each time the connection comes back (refetch what was missed). */
export function whenRestored(f: () => void): () => void {
  onRestore.add(f);
  return () => onRestore.delete(f);
}

/** For `useConnection` (use-connection.ts): the hook lives apart, so server modules may import this one. */
export function subscribeConnection(l: () => void): () => void {
  listeners.add(l);
  return () => listeners.delete(l);
}

export function connectionNow(): Connection {
  return state;
}

/** A failure that says nothing about the server being reachable is not a lost connection. */
export function isNetworkFailure(err: unknown): boolean {
  return err instanceof TypeError || (err instanceof DOMException && err.name === "TimeoutError");
}
