"use server";

import { z } from "zod";
import { signIn } from "@/auth";
import { authSecret } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db/client";
import { CreateUserBody } from "@/lib/services/provisioning/schemas";
import { createFirstAdmin } from "@/lib/services/provisioning/first-admin";
import { ServiceError } from "@/lib/services/errors";

// The first admin is a user like any other: the same fields and rules as POST /admin/users.
const SetupForm = CreateUserBody.pick({ email: true, name: true, password: true })
  .required({ password: true })
  .extend({ code: z.string().min(1).max(100) });

export interface SetupState {
  error: string | null;
}

export async function createFirstAdminAction(_prev: SetupState, form: FormData): Promise<SetupState> {
  const name = String(form.get("name") ?? "").trim();
  const parsed = SetupForm.safeParse({ code: form.get("code"), email: form.get("email"), password: form.get("password"), name: name || undefined });
  if (!parsed.success) {
    return { error: parsed.error.issues.map((i) => `${i.path.join(".") || "form"}: ${i.message}`).join("; ") };
  }
  const { db } = await getDatabase();
  try {
    await createFirstAdmin(db, authSecret(), parsed.data, new Date());
  } catch (err) {
    if (err instanceof ServiceError) return { error: err.message };
    throw err;
  }
  // Signs the new admin in and redirects (Next's redirect travels as a thrown value).
  await signIn("credentials", { email: parsed.data.email, password: parsed.data.password, redirectTo: "/queue" });
  return { error: null };
}
