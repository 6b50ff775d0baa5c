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
      // A vote is sent (and fails plainly, with a timeout) even when the browser believes it is
      // offline: a mutation paused until the network returns would read "Sending…" forever.
      mutations: { networkMode: "always", retry: false },
    },
  });
}
