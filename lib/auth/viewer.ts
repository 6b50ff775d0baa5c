import { redirect } from "next/navigation";
import { cache } from "react";
import { auth } from "@/auth";
import { getDatabase } from "@/lib/db/client";
import type { Ctx, Principal } from "@/lib/services/context";
import { Unauthenticated } from "@/lib/services/errors";
import { endSession } from "@/lib/services/sessions";
import { principalForSession } from "./session";

export type ViewerPrincipal = Extract<Principal, { kind: "user" }> & { name: string | null };

/** What the browser may know about who is signed in. */
export interface Viewer {
  userId: string;
  tenantId: string;
  email: string;
  name: string | null;
  roles: string[];
  scopes: string[];
}

/** The signed-in person for this request (read once per render), or null. */
export const currentPrincipal = cache(async (): Promise<ViewerPrincipal | null> => {
  const session = await auth();
  const user = session?.user as { id?: unknown; tenant?: unknown; sid?: unknown } | undefined;
  if (typeof user?.id !== "string" || typeof user.tenant !== "string" || typeof user.sid !== "string") return null;
  const { query } = await getDatabase();
  try {
    return await principalForSession(query, { uid: user.id, tenant: user.tenant, sid: user.sid }, new Date());
  } catch (err) {
    if (err instanceof Unauthenticated) return null;
    throw err;
  }
});

/** Sign-out's first half: the signed-in person's session ends on the server. */
export async function endCurrentSession(): Promise<void> {
  const principal = await currentPrincipal();
  if (!principal?.sessionId) return;
  const { db } = await getDatabase();
  await endSession(db, principal.sessionId, new Date());
}

/** Every console page and action starts here: no session, no page. */
export async function requireCtx(): Promise<Ctx & { principal: ViewerPrincipal }> {
  const principal = await currentPrincipal();
  if (!principal) redirect("/signin");
  const { db, query } = await getDatabase();
  return { db, query, principal, now: new Date() };
}

export function toViewer(p: ViewerPrincipal): Viewer {
  return { userId: p.userId, tenantId: p.tenantId, email: p.email, name: p.name, roles: p.roles, scopes: [...p.scopes] };
}
