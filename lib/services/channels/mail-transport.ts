import "server-only";
import nodemailer, { type Transporter } from "nodemailer";
import type { Db } from "@/lib/db/client";
import { env } from "@/lib/env";
import { recordPreview } from "./previews";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

let transport: Transporter | undefined;

/** Whether approval mails go out: SMTP_URL, or the demo's preview log in its place. */
export function mailConfigured(): boolean {
  return Boolean(env().SMTP_URL) || env().COUNTERSIGN_DEMO === "1";
}

/** Send one mail through SMTP_URL; the demo without one keeps it for its preview page instead. */
export async function sendOneMail(db: Db, tenantId: string, jobId: string, mail: Mail): Promise<void> {
  const url = env().SMTP_URL;
  if (!url) {
    if (env().COUNTERSIGN_DEMO !== "1") throw new Error("SMTP_URL is not set");
    await recordPreview(db, { tenantId, kind: "email", jobId, target: mail.to, body: mail });
    return;
  }
  transport ??= nodemailer.createTransport(url);
  await transport.sendMail({ from: env().COUNTERSIGN_MAIL_FROM, ...mail });
}
