import { readText } from "@/lib/api/body";
import { methodNotAllowed, toProblem } from "@/lib/api/problem";
import { json } from "@/lib/api/route";
import { getDatabase } from "@/lib/db/client";
import { log, requestIdOf } from "@/lib/log";
import { handleSlackInteraction } from "@/lib/services/channels/slack-interact";

// Slack's interactivity request URL (integrations/slack-manifest.yaml). No bearer token: Slack's own
// request signature is the credential, checked by the service before anything is read or stored.
export async function POST(req: Request): Promise<Response> {
  const requestId = requestIdOf(req);
  try {
    const request = { timestamp: req.headers.get("x-slack-request-timestamp"), signature: req.headers.get("x-slack-signature"), body: await readText(req) };
    const answer = await handleSlackInteraction({ database: await getDatabase(), now: new Date(), request });
    // Slack wants a 200 within 3 seconds: empty for a button, a response_action for a modal's submission.
    return answer ? json(answer) : new Response(null, { status: 200, headers: { "x-request-id": requestId } });
  } catch (err) {
    return toProblem(err, requestId, log().child({ request_id: requestId }));
  }
}

const notAllowed = methodNotAllowed("POST");
export { notAllowed as GET, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
