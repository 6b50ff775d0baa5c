"use server";

import { signIn } from "@/auth";
import { authSecret } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db/client";
import { ServiceError } from "@/lib/services/errors";
import { SetPasswordInput, setPasswordByLink } from "@/lib/services/provisioning/password-link";

export interface SetPasswordState {
  error: string | null;
}

export async function setPasswordAction(_prev: SetPasswordState, form: FormData): Promise<SetPasswordState> {
  const parsed = SetPasswordInput.safeParse({ u: form.get("u"), e: form.get("e"), c: form.get("c"), password: form.get("password") });
  if (!parsed.success) {
    return { error: parsed.error.issues.map((i) => (i.path[0] === "password" ? `Password: ${i.message}` : "This link is incomplete.")).join(" ") };
  }
  if (parsed.data.password !== form.get("confirm")) return { error: "The two passwords differ." };
  const { db } = await getDatabase();
  let who: { email: string; tenant: string };
  try {
    who = await setPasswordByLink(db, authSecret(), parsed.data, new Date());
  } catch (err) {
    if (err instanceof ServiceError) return { error: err.message };
    throw err;
  }
  // Signs the person in and redirects (Next's redirect travels as a thrown value).
  await signIn("credentials", { email: who.email, password: parsed.data.password, workspace: who.tenant, redirectTo: "/queue" });
  return { error: null };
}
