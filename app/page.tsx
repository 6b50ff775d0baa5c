import { redirect } from "next/navigation";
import { currentPrincipal } from "@/lib/auth/viewer";

export const dynamic = "force-dynamic";

export default async function Home() {
  redirect((await currentPrincipal()) ? "/queue" : "/signin");
}
