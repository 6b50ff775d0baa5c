import { ZodError } from "zod";
import { ServiceError, type FieldError } from "@/lib/services/errors";

const PROBLEM_BASE = "https://countersign.dev/problems/";

export function problem(
  status: number,
  code: string,
  title: string,
  detail: string,
  errors?: FieldError[],
  headers?: Record<string, string>,
): Response {
  const body = { type: `${PROBLEM_BASE}${code}`, title, status, detail, code, ...(errors ? { errors } : {}) };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "content-type": "application/problem+json", "cache-control": "no-store", ...headers },
  });
}

export function zodErrors(err: ZodError): FieldError[] {
  return err.issues.map((i) => ({ path: i.path.map(String).join(".") || "(body)", message: i.message }));
}

/** The one place a thrown error becomes an HTTP answer. */
export function toProblem(err: unknown): Response {
  if (err instanceof ServiceError) {
    return problem(err.status, err.code, err.title, err.message, err.errors, err.headers);
  }
  if (err instanceof ZodError) {
    return problem(400, "validation_failed", "Invalid request", "The request did not validate.", zodErrors(err));
  }
  console.error("[countersign] unhandled error", err);
  return problem(500, "internal_error", "Internal error", "Something failed on our side; nothing was stored.");
}
