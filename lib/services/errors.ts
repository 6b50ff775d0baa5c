/** Typed errors thrown by services; `lib/api/problem.ts` maps them to problem+json once. */
export interface FieldError {
  path: string;
  message: string;
  line?: number;
  column?: number;
}

export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    readonly title: string,
    detail?: string,
    readonly errors?: FieldError[],
    readonly headers?: Record<string, string>,
  ) {
    super(detail ?? title);
    this.name = "ServiceError";
  }
}

export class Invalid extends ServiceError {
  constructor(detail: string, errors?: FieldError[], code = "validation_failed") {
    super(400, code, "Invalid request", detail, errors);
  }
}

export class Unauthenticated extends ServiceError {
  constructor(detail = "A valid bearer token or session is required.") {
    super(401, "unauthenticated", "Unauthenticated", detail, undefined, {
      "WWW-Authenticate": 'Bearer realm="countersign"',
    });
  }
}

export class Forbidden extends ServiceError {
  constructor(code: string, detail: string) {
    super(403, code, "Forbidden", detail);
  }
}

export class NotFound extends ServiceError {
  constructor(what = "resource", detail?: string) {
    super(404, "not_found", "Not found", detail ?? `No such ${what}.`);
  }
}

export class Conflict extends ServiceError {
  constructor(code: string, detail: string) {
    super(409, code, "Conflict", detail);
  }
}

export class PayloadTooLarge extends ServiceError {
  constructor(limit: number) {
    super(413, "payload_too_large", "Payload too large", `The request body exceeds ${limit} bytes.`);
  }
}

export class UnsupportedMediaType extends ServiceError {
  constructor(expected: string) {
    super(415, "unsupported_media_type", "Unsupported media type", `Send the body as ${expected}.`);
  }
}

export class TooManyRequests extends ServiceError {
  constructor(detail: string, retryAfterSeconds: number, code = "rate_limited") {
    super(429, code, "Too many requests", detail, undefined, { "retry-after": String(retryAfterSeconds) });
  }
}
