"use server";

import { AuthError, CredentialsSignin } from "next-auth";
import { signIn, signOut } from "@/auth";
import { endCurrentSession } from "@/lib/auth/viewer";

export interface SignInState {
  error: string | null;
  email: string;
}

/** Only our own pages: an open redirect after sign-in would be a phishing aid. */
export async function safeNext(raw: FormDataEntryValue | null): Promise<string> {
  const next = typeof raw === "string" ? raw : "";
  return /^\/(?![/\\])[^\s]*$/.test(next) ? next : "/queue";
}

const MESSAGES: Record<string, string> = {
  wrong_credentials: "That email and password do not match an active account.",
  workspace_required: "This email has accounts in several workspaces: name the workspace too.",
  too_many_attempts: "Too many sign-in attempts for this email. Wait a minute and try again.",
  too_many_attempts_source: "Too many sign-in attempts from your network. Wait a minute and try again.",
};

export async function signInWithPassword(_prev: SignInState, form: FormData): Promise<SignInState> {
  const email = String(form.get("email") ?? "");
  try {
    await signIn("credentials", {
      email,
      password: String(form.get("password") ?? ""),
      workspace: String(form.get("workspace") ?? ""),
      redirectTo: await safeNext(form.get("next")),
    });
    return { error: null, email };
  } catch (err) {
    // A successful sign-in throws Next's redirect, which must keep travelling.
    if (err instanceof CredentialsSignin) return { error: MESSAGES[err.code] ?? MESSAGES.wrong_credentials!, email };
    if (err instanceof AuthError) return { error: "Sign-in is unavailable right now. Try again in a moment.", email };
    throw err;
  }
}

export async function signInWithSso(form: FormData): Promise<void> {
  await signIn("oidc", { redirectTo: await safeNext(form.get("next")) });
}

/**
 * Sign-out ends the session on the server first (a copy of the cookie is then worth nothing), and only
 * then clears the cookie: a failure to end it surfaces here instead of leaving a live session behind.
 */
export async function signOutAction(): Promise<void> {
  await endCurrentSession();
  await signOut({ redirectTo: "/signin?signed_out=1" });
}
