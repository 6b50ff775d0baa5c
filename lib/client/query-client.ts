import { QueryClient } from "@tanstack/react-query";
import { ApiError } from "./api";

export function makeQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        // Live updates arrive over SSE and invalidate; a short staleTime avoids refetching what the
        // server just rendered, and a refocus refetch catches anything missed while hidden.
        staleTime: 5_000,
        refetchOnWindowFocus: true,
        retry: (count, err) => !(err instanceof ApiError && err.status < 500) && count < 2,
      },
    },
  });
}
