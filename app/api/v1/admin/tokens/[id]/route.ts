import { apiRoute } from "@/lib/api/route";
import { revokeToken } from "@/lib/services/provisioning/tokens";

export const DELETE = apiRoute<{ id: string }>(["admin"], ({ ctx, params }) => revokeToken({ ctx, id: params.id }));
