"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { z } from "zod";
import type { MintedToken as MintedTokenSchema, PasswordLinkOut, TokenList as TokenListSchema, User as UserSchema, UserList as UserListSchema } from "@/lib/api/responses";
import type { CreateTokenBody, CreateUserBody, UpdateUserBody } from "@/lib/services/provisioning/schemas";
import { api } from "./api";
import { adminKeys } from "./keys";

export type UserList = z.infer<typeof UserListSchema>;
export type ListedUser = UserList["items"][number];
export type TokenList = z.infer<typeof TokenListSchema>;
export type ListedToken = TokenList["items"][number];
export type MintedToken = z.infer<typeof MintedTokenSchema>;
export type PasswordLink = z.infer<typeof PasswordLinkOut>;

const ADMIN = "/api/v1/admin";

export function useUsers() {
  return useQuery({ queryKey: adminKeys.users(), queryFn: ({ signal }) => api<UserList>(`${ADMIN}/users`, { signal }) });
}

export function useTokens(includeRevoked: boolean) {
  return useQuery({
    queryKey: adminKeys.tokens(includeRevoked),
    queryFn: ({ signal }) => api<TokenList>(`${ADMIN}/tokens${includeRevoked ? "?include_revoked=true" : ""}`, { signal }),
  });
}

/** An invitation: the person without a password, then their one-time set-password link. */
export function useInvite() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: Pick<CreateUserBody, "email" | "roles"> & { name?: string }) => {
      const user = await api<z.infer<typeof UserSchema>>(`${ADMIN}/users`, { method: "POST", json: input });
      return api<PasswordLink>(`${ADMIN}/users/${user.id}/password-link`, { method: "POST" });
    },
    onSettled: () => void client.invalidateQueries({ queryKey: adminKeys.users() }),
  });
}

export function usePasswordLink() {
  return useMutation({ mutationFn: (id: string) => api<PasswordLink>(`${ADMIN}/users/${id}/password-link`, { method: "POST" }) });
}

export function useUpdateUser() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: UpdateUserBody }) => api(`${ADMIN}/users/${id}`, { method: "PATCH", json: change }),
    // A person's roles decide who owns which token, too.
    onSettled: () => void client.invalidateQueries({ queryKey: adminKeys.all }),
  });
}

export function useMintToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: CreateTokenBody) => api<MintedToken>(`${ADMIN}/tokens`, { method: "POST", json: input }),
    onSettled: () => void client.invalidateQueries({ queryKey: ["admin", "tokens"] }),
  });
}

export function useRevokeToken() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api(`${ADMIN}/tokens/${id}`, { method: "DELETE" }),
    onSettled: () => void client.invalidateQueries({ queryKey: ["admin", "tokens"] }),
  });
}
