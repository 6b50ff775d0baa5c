import { expect } from "vitest";

/** What a problem answer is read as: the status, the headers and the parsed body. */
export interface Answered {
  status: number;
  headers: Headers;
  body: unknown;
}

/**
 * The one check of a refusal (DESIGN: RFC 9457 problem+json): this status and this stable code (or one
 * of these codes), the problem's members present, and a 401 naming its scheme. `label` says which
 * request it was when the check fails (the body, by default).
 */
export function expectProblem(res: Answered, status: number, code: string | string[], label?: string): void {
  const codes = Array.isArray(code) ? code : [code];
  const body = res.body as Record<string, unknown> | null;
  const why = label ?? JSON.stringify(body)?.slice(0, 300);
  expect({ status: res.status, code: body?.code }, why).toEqual({ status, code: codes.includes(body?.code as string) ? body?.code : codes[0] });
  expect(res.headers.get("content-type"), why).toMatch(/^application\/problem\+json/);
  expect(body, why).toMatchObject({ status, type: expect.any(String), title: expect.any(String), detail: expect.any(String) });
  if (status === 401) expect(res.headers.get("www-authenticate"), why).toMatch(/^Bearer /);
}
