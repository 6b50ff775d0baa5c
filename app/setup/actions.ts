"use server";

import { z } from "zod";
import { signIn } from "@/auth";
import { authSecret } from "@/lib/auth/session";
import { getDatabase } from "@/lib/db/client";
import { Password } from "@/lib/services/provisioning/schemas";
import { createFirstAdmin } from "@/lib/services/provisioning/first-admin";
import { ServiceError } from "@/lib/services/errors";

const SetupForm = z.object({
  code: z.string().min(1).max(100),
  email: z.string().trim().toLowerCase().email("enter a valid email").max(320),
  name: z.string().trim().max(200).optional(),
  password: Password,
});

export interface SetupState {
  error: string | null;
}

export async function createFirstAdminAction(_prev: SetupState, form: FormData): Promise<SetupState> {
  const parsed = SetupForm.safeParse(Object.fromEntries(form));
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
