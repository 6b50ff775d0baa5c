import { isNetworkFailure, markFound, markLost } from "./connection";

/** A problem+json answer from /api/v1, kept whole so the UI can explain it in words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly detail: string,
    readonly errors?: { path: string; message: string; line?: number; column?: number }[],
  ) {
    super(detail);
    this.name = "ApiError";
  }
}

// Gateway answers: the app behind the proxy is not there.
const GATEWAY = new Set([502, 503, 504]);

/** fetch against the API with the session cookie; a non-2xx answer becomes an ApiError. */
export async function api<T>(path: string, init?: RequestInit & { json?: unknown }): Promise<T> {
  const { json, headers, ...rest } = init ?? {};
  let res: Response;
  try {
    res = await fetch(path, {
      ...rest,
      credentials: "same-origin",
      headers: { accept: "application/json", ...(json !== undefined ? { "content-type": "application/json" } : {}), ...headers },
      body: json !== undefined ? JSON.stringify(json) : rest.body,
    });
  } catch (err) {
    if (isNetworkFailure(err)) markLost();
    throw err;
  }
  if (GATEWAY.has(res.status)) markLost();
  else markFound();
  if (res.ok) return (await res.json()) as T;
  let problem: { code?: string; detail?: string; title?: string; errors?: ApiError["errors"] } = {};
  try {
    problem = await res.json();
  } catch {
    // not problem+json (a proxy's error page, say): fall back to the status line
  }
  throw new ApiError(res.status, problem.code ?? `http_${res.status}`, problem.detail ?? problem.title ?? res.statusText, problem.errors);
}
