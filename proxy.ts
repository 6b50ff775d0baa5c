import { NextResponse, type NextRequest } from "next/server";

/**
 * A path whose percent-encoding does not decode cannot name anything; answer 400 problem+json here,
 * before routing, instead of the framework's plain-text 500.
 */
export function proxy(request: NextRequest) {
  try {
    decodeURIComponent(request.nextUrl.pathname);
    return NextResponse.next();
  } catch {
    return new NextResponse(
      JSON.stringify({
        type: "https://countersign.dev/problems/invalid_path",
        title: "Invalid request",
        status: 400,
        detail: "The request path is not valid percent-encoded UTF-8.",
        code: "invalid_path",
      }),
      { status: 400, headers: { "content-type": "application/problem+json" } },
    );
  }
}

// Only paths carrying a percent sign can fail to decode; every other request skips the proxy entirely.
export const config = { matcher: "/api/(.*%.*)" };
