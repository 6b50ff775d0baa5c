/**
 * The API's request and response types, generated from its OpenAPI document (GET /api/v1/openapi.json)
 * by openapi-typescript. Do not edit: run `npm run generate -w @countersign/sdk`. A test fails when
 * this file no longer matches the document.
 */

export interface paths {
    "/admin/callback-secrets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The secrets signing callbacks now (current first; the previous one during a rotation)
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope.
         */
        get: {
            parameters: {
                query?: {
                    tenant?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description RFC 3339 timestamp */
                                created_at: string;
                                id: string;
                                retires_at: string | null;
                                secret: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Rotate the callback signing secret; the previous one keeps signing for 24 h
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope.
         */
        post: {
            parameters: {
                query?: {
                    tenant?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description RFC 3339 timestamp */
                            created_at: string;
                            id: string;
                            previous_valid_until: string | null;
                            retires_at: string | null;
                            secret: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Webhook deliveries (agent callbacks, notifications) with every attempt: status, latency, error
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, validation_failed, invalid_cursor.
         */
        get: {
            parameters: {
                query?: {
                    cursor?: string;
                    job_id?: string;
                    limit?: string;
                    state?: "pending" | "delivered" | "failed";
                    tenant?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                attempt_log: {
                                    /** @description RFC 3339 timestamp */
                                    at: string;
                                    error: string | null;
                                    latency_ms: number;
                                    status_code: number | null;
                                }[];
                                attempts: number;
                                /** @description RFC 3339 timestamp */
                                created_at: string;
                                delivered_at: string | null;
                                event_type: string;
                                id: string;
                                job_id: string | null;
                                /** @enum {string} */
                                kind: "callback" | "notification";
                                last_error: string | null;
                                next_attempt_at: string | null;
                                /** @enum {string} */
                                state: "pending" | "delivered" | "failed";
                                url: string;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/deliveries/{id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a delivery again now (a fresh 24 h retry window)
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, not_found.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            attempt_log: {
                                /** @description RFC 3339 timestamp */
                                at: string;
                                error: string | null;
                                latency_ms: number;
                                status_code: number | null;
                            }[];
                            attempts: number;
                            /** @description RFC 3339 timestamp */
                            created_at: string;
                            delivered_at: string | null;
                            event_type: string;
                            id: string;
                            job_id: string | null;
                            /** @enum {string} */
                            kind: "callback" | "notification";
                            last_error: string | null;
                            next_attempt_at: string | null;
                            /** @enum {string} */
                            state: "pending" | "delivered" | "failed";
                            url: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/notification-targets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Reviewer notification targets: Slack-compatible incoming webhooks (kind webhook) and channels of the Slack app (kind slack)
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope.
         */
        get: {
            parameters: {
                query?: {
                    tenant?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                channel: string | null;
                                /** @description RFC 3339 timestamp */
                                created_at: string;
                                events: string[];
                                id: string;
                                /** @enum {string} */
                                kind: "webhook" | "slack";
                                roles: string[];
                                url: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Add a notification target for new pending work, escalations and expiries, optionally only for some roles
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, validation_failed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        channel: string;
                        /**
                         * @default [
                         *       "job.pending",
                         *       "job.escalated",
                         *       "job.expired"
                         *     ]
                         */
                        events?: ("job.pending" | "job.escalated" | "job.expiring" | "job.expired")[];
                        /** @constant */
                        kind: "slack";
                        /** @default [] */
                        roles?: string[];
                        tenant?: string;
                    } | {
                        /**
                         * @default [
                         *       "job.pending",
                         *       "job.escalated",
                         *       "job.expired"
                         *     ]
                         */
                        events?: ("job.pending" | "job.escalated" | "job.expiring" | "job.expired")[];
                        /**
                         * @default webhook
                         * @constant
                         */
                        kind?: "webhook";
                        /** @default [] */
                        roles?: string[];
                        tenant?: string;
                        /** Format: uri */
                        url: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            channel: string | null;
                            /** @description RFC 3339 timestamp */
                            created_at: string;
                            events: string[];
                            id: string;
                            /** @enum {string} */
                            kind: "webhook" | "slack";
                            roles: string[];
                            url: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/notification-targets/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Remove a notification target
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, not_found.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @constant */
                            deleted: true;
                            id: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/tenants": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Create a tenant (installation admin only)
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, installation_admin_required, already_exists.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        id: string;
                        name?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description RFC 3339 timestamp */
                            created_at: string;
                            id: string;
                            name: string;
                            policy_snapshot: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/tokens": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's tokens, newest first, without secrets: scopes, owner, expiry, revocation and last use (to within a minute)
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, validation_failed, tenant_forbidden, not_found.
         */
        get: {
            parameters: {
                query?: {
                    include_revoked?: "true" | "false";
                    tenant?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description RFC 3339 timestamp */
                                created_at: string;
                                expires_at: string | null;
                                id: string;
                                /** @enum {string} */
                                kind: "agent" | "user";
                                /** @description the last request with it, to within a minute; null: never used */
                                last_used_at: string | null;
                                name: string;
                                /** @description the email of the person a user token acts as, or an agent token answers to */
                                owner: string | null;
                                revoked_at: string | null;
                                scopes: string[];
                                /** @enum {string} */
                                state: "live" | "expired" | "revoked";
                                tenant: string;
                                user_id: string | null;
                            }[];
                            /** @description true when there were more than 1,000 */
                            truncated: boolean;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Mint a token (the secret is shown once). Without admin: only a user token for yourself, within your own scopes. A user token with approvals:resolve: only by that person
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, tenant_forbidden, validation_failed, mint_forbidden.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: date-time */
                        expires_at?: string;
                        /** @enum {string} */
                        kind: "agent" | "user";
                        name: string;
                        /** Format: email */
                        owner_email?: string;
                        rate_limits?: {
                            resolve_per_minute?: number;
                            submit_per_minute?: number;
                        };
                        scopes: ("jobs:submit" | "jobs:read" | "jobs:execute" | "approvals:read" | "approvals:resolve" | "policy:read" | "policy:write" | "metrics:read" | "audit:read" | "admin")[];
                        tenant?: string;
                        user_id?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            expires_at: string | null;
                            id: string;
                            /** @enum {string} */
                            kind: "agent" | "user";
                            name: string;
                            owner_email: string | null;
                            /** @description requests per minute; null: the installation's default (COUNTERSIGN_RATE_*_PER_MINUTE) */
                            rate_limits: {
                                resolve_per_minute: number | null;
                                submit_per_minute: number | null;
                            };
                            scopes: string[];
                            tenant: string;
                            /** @description the secret: shown once, stored only as SHA-256 */
                            token: string;
                            user_id: string | null;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/tokens/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a token
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, not_found.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            id: string;
                            /** @description RFC 3339 timestamp */
                            revoked_at: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/users": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The tenant's people by email, with roles, disabled flag and whether they have set a password
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, validation_failed, tenant_forbidden, not_found.
         */
        get: {
            parameters: {
                query?: {
                    tenant?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description RFC 3339 timestamp */
                                created_at: string;
                                disabled: boolean;
                                email: string;
                                /** @description false: invited, has not set a password yet */
                                has_password: boolean;
                                id: string;
                                name: string | null;
                                roles: string[];
                                slack_user_id: string | null;
                                tenant: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Create a user
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, already_exists, tenant_forbidden.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: email */
                        email: string;
                        name?: string;
                        password?: string;
                        /** @default [] */
                        roles?: string[];
                        tenant?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            disabled: boolean;
                            email: string;
                            id: string;
                            name: string | null;
                            roles: string[];
                            slack_user_id: string | null;
                            tenant: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/users/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Change a user's roles, name, password, disabled flag or linked Slack member id (slack_user_id, null unlinks)
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, not_found.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        disabled?: boolean;
                        name?: string | null;
                        password?: string;
                        roles?: string[];
                        slack_user_id?: string | null;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            disabled: boolean;
                            email: string;
                            id: string;
                            name: string | null;
                            roles: string[];
                            slack_user_id: string | null;
                            tenant: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/admin/users/{id}/password-link": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A one-time link with which the person sets their own password (an invitation, or a reset); it works once and for 7 days. Audited
         * @description Scopes: admin. Error codes: unauthenticated, insufficient_scope, not_found, user_disabled, console_not_configured.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            email: string;
                            /** @description RFC 3339 timestamp */
                            expires_at: string;
                            path: string;
                            /** @description one-time: works until a password is set through it, or for 7 days */
                            url: string;
                            user_id: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The approval queue, most urgent first
         * @description Scopes: approvals:read. Error codes: unauthenticated, insufficient_scope, validation_failed, invalid_cursor.
         */
        get: {
            parameters: {
                query?: {
                    actionable?: "true" | "false";
                    cursor?: string;
                    include_resolved?: "true" | "false";
                    limit?: string;
                    risk_tag?: string;
                    rule_id?: string;
                    topic?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                approval_required: boolean;
                                can_act: boolean;
                                constraints: {
                                    max_runtime_sec?: number;
                                    network_allowlist?: string[];
                                } | null;
                                /** @enum {string} */
                                decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                                decision_summary: {
                                    next_effect: string;
                                    title: string;
                                    why: string;
                                };
                                job: {
                                    callback_url: string | null;
                                    created_at: string;
                                    description: string | null;
                                    id: string;
                                    labels: {
                                        [key: string]: string;
                                    };
                                    on_behalf_of: string | null;
                                    payload: {
                                        [key: string]: unknown;
                                    };
                                    requested_by: string;
                                    risk_tags: string[];
                                    /** @enum {string} */
                                    state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                    title: string | null;
                                    topic: string;
                                    updated_at: string;
                                };
                                job_hash: string;
                                matched_rules: {
                                    decision: string;
                                    /** @description why the rule's match.when could not be evaluated */
                                    error?: string;
                                    id: string;
                                    reason: string | null;
                                }[];
                                policy_reason: string;
                                policy_rule_id: string;
                                policy_snapshot: string;
                                requirements: {
                                    approvals: number;
                                    count: number;
                                    roles: string[];
                                    rule_id: string;
                                }[];
                                resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                                resolved_at: string | null;
                                resolved_by: string | null;
                                resolved_comment: string | null;
                                sla: {
                                    due_at: string | null;
                                    escalated: boolean;
                                    expires_at: string | null;
                                };
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals/{job_id}/approve": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Approve: counts toward every requirement the voter qualifies for. With standing_for (a duration ≤ 24h) the approval also stands for identical later jobs of the same agent (same job_hash) under this policy; 409 standing_not_allowed (nothing recorded) where a requirement needs more than one person or this approval alone does not approve the job
         * @description Scopes: approvals:resolve. Error codes: unauthenticated, insufficient_scope, rate_limited, not_found, self_approval, role_required, agent_cannot_resolve, already_resolved, already_voted, stale_request, stale_snapshot, expired, validation_failed, standing_not_allowed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        job_hash?: string;
                        note?: string;
                        policy_snapshot?: string;
                        reason: string;
                        standing_for?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            approval_required: boolean;
                            can_act: boolean;
                            constraints: {
                                max_runtime_sec?: number;
                                network_allowlist?: string[];
                            } | null;
                            /** @enum {string} */
                            decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                            decision_summary: {
                                next_effect: string;
                                title: string;
                                why: string;
                            };
                            job: {
                                callback_url: string | null;
                                created_at: string;
                                description: string | null;
                                id: string;
                                labels: {
                                    [key: string]: string;
                                };
                                on_behalf_of: string | null;
                                payload: {
                                    [key: string]: unknown;
                                };
                                requested_by: string;
                                risk_tags: string[];
                                /** @enum {string} */
                                state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                title: string | null;
                                topic: string;
                                updated_at: string;
                            };
                            job_hash: string;
                            matched_rules: {
                                decision: string;
                                /** @description why the rule's match.when could not be evaluated */
                                error?: string;
                                id: string;
                                reason: string | null;
                            }[];
                            missing: {
                                needed: number;
                                roles: string[];
                                rule_id: string;
                            }[];
                            policy_reason: string;
                            policy_rule_id: string;
                            policy_snapshot: string;
                            requirements: {
                                approvals: number;
                                count: number;
                                roles: string[];
                                rule_id: string;
                            }[];
                            resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                            resolved_at: string | null;
                            resolved_by: string | null;
                            resolved_comment: string | null;
                            sla: {
                                due_at: string | null;
                                escalated: boolean;
                                expires_at: string | null;
                            };
                            /** @description present when the approve carried standing_for */
                            standing_approval?: {
                                /** @description the requested_by of the jobs it approves */
                                agent: string;
                                /** @description RFC 3339 timestamp */
                                expires_at: string;
                                /** @description RFC 3339 timestamp */
                                granted_at: string;
                                granted_by: string;
                                id: string;
                                job_hash: string;
                                /** @description the job whose approval granted it */
                                source_job_id: string;
                                topic: string;
                            };
                            vote: {
                                note: string | null;
                                reason: string;
                                /** @enum {string} */
                                vote: "approve" | "reject";
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals/{job_id}/reject": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Reject: one qualified reject ends it
         * @description Scopes: approvals:resolve. Error codes: unauthenticated, insufficient_scope, rate_limited, not_found, self_approval, role_required, agent_cannot_resolve, already_resolved, already_voted, stale_request, stale_snapshot, expired, validation_failed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    job_id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        job_hash?: string;
                        note?: string;
                        policy_snapshot?: string;
                        reason: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            approval_required: boolean;
                            can_act: boolean;
                            constraints: {
                                max_runtime_sec?: number;
                                network_allowlist?: string[];
                            } | null;
                            /** @enum {string} */
                            decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                            decision_summary: {
                                next_effect: string;
                                title: string;
                                why: string;
                            };
                            job: {
                                callback_url: string | null;
                                created_at: string;
                                description: string | null;
                                id: string;
                                labels: {
                                    [key: string]: string;
                                };
                                on_behalf_of: string | null;
                                payload: {
                                    [key: string]: unknown;
                                };
                                requested_by: string;
                                risk_tags: string[];
                                /** @enum {string} */
                                state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                title: string | null;
                                topic: string;
                                updated_at: string;
                            };
                            job_hash: string;
                            matched_rules: {
                                decision: string;
                                /** @description why the rule's match.when could not be evaluated */
                                error?: string;
                                id: string;
                                reason: string | null;
                            }[];
                            missing: {
                                needed: number;
                                roles: string[];
                                rule_id: string;
                            }[];
                            policy_reason: string;
                            policy_rule_id: string;
                            policy_snapshot: string;
                            requirements: {
                                approvals: number;
                                count: number;
                                roles: string[];
                                rule_id: string;
                            }[];
                            resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                            resolved_at: string | null;
                            resolved_by: string | null;
                            resolved_comment: string | null;
                            sla: {
                                due_at: string | null;
                                escalated: boolean;
                                expires_at: string | null;
                            };
                            /** @description present when the approve carried standing_for */
                            standing_approval?: {
                                /** @description the requested_by of the jobs it approves */
                                agent: string;
                                /** @description RFC 3339 timestamp */
                                expires_at: string;
                                /** @description RFC 3339 timestamp */
                                granted_at: string;
                                granted_by: string;
                                id: string;
                                job_hash: string;
                                /** @description the job whose approval granted it */
                                source_job_id: string;
                                topic: string;
                            };
                            vote: {
                                note: string | null;
                                reason: string;
                                /** @enum {string} */
                                vote: "approve" | "reject";
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals/standing": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Live standing approvals (not revoked or expired), soonest to end first
         * @description Scopes: approvals:read. Error codes: unauthenticated, insufficient_scope.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                /** @description the requested_by of the jobs it approves */
                                agent: string;
                                /** @description RFC 3339 timestamp */
                                expires_at: string;
                                /** @description RFC 3339 timestamp */
                                granted_at: string;
                                granted_by: string;
                                id: string;
                                job_hash: string;
                                /** @description the job whose approval granted it */
                                source_job_id: string;
                                topic: string;
                            }[];
                            next_cursor: null;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals/standing/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /**
         * Revoke a standing approval: its granter or an admin (others: 403 not_granter); revoking again answers as it stands; unknown: 404
         * @description Scopes: approvals:resolve or admin. Error codes: unauthenticated, insufficient_scope, not_found, not_granter.
         */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description the requested_by of the jobs it approves */
                            agent: string;
                            /** @description RFC 3339 timestamp */
                            expires_at: string;
                            /** @description RFC 3339 timestamp */
                            granted_at: string;
                            granted_by: string;
                            id: string;
                            job_hash: string;
                            /** @description RFC 3339 timestamp */
                            revoked_at: string;
                            revoked_by: string;
                            /** @description the job whose approval granted it */
                            source_job_id: string;
                            topic: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/approvals/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Server-sent events (`queue`: {job_id, state}) whenever a job enters or leaves the queue
         * @description Scopes: approvals:read. Error codes: unauthenticated, insufficient_scope, too_many_waits.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Audit events in chain order
         * @description Scopes: audit:read. Error codes: unauthenticated, insufficient_scope, validation_failed, invalid_cursor.
         */
        get: {
            parameters: {
                query?: {
                    actor?: string;
                    cursor?: string;
                    job_id?: string;
                    limit?: string;
                    since?: string;
                    type?: string;
                    until?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                actor: string;
                                /** @description RFC 3339 timestamp */
                                created_at: string;
                                data: {
                                    [key: string]: unknown;
                                };
                                hash: string | null;
                                id: number;
                                job_id: string | null;
                                prev_hash: string | null;
                                /** @description place in the tenant's chain; null until sealed */
                                seq: number | null;
                                type: string;
                            }[];
                            next_cursor: string | null;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/export": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit trail as JSON Lines (application/x-ndjson), one event per line in chain order; the listing's filters apply
         * @description Scopes: audit:read. Error codes: unauthenticated, insufficient_scope, validation_failed.
         */
        get: {
            parameters: {
                query?: {
                    actor?: string;
                    job_id?: string;
                    since?: string;
                    type?: string;
                    until?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/audit/verify": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Recompute the tenant's hash chain and name the first broken link
         * @description Scopes: audit:read. Error codes: unauthenticated, insufficient_scope.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checked: number;
                            first_broken: {
                                reason: string;
                                seq: number;
                            } | null;
                            head: {
                                hash: string;
                                seq: number;
                            } | null;
                            ok: boolean;
                            /** @description events that committed between sealing and reading */
                            pending: number;
                            /** @description rows the sealer refused to seal because their MAC fails (forged), oldest first, at most 100; any makes ok false */
                            rejected: {
                                actor: string;
                                created_at: string;
                                id: number;
                                reason: string;
                                type: string;
                            }[];
                            tenant: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Recompute the chain and check it against a checkpoint log sent in the body (what `countersign audit verify --checkpoints FILE` sends): a chain cut back below or rewritten at a signed checkpoint is named, and so is every bad line of the log. The caller's tenant; the installation admin token: every tenant, or ?tenant=. Changes nothing. The body is at most 256 KiB: split a longer log, or verify it with `npm run audit:verify -- --checkpoints FILE`
         * @description Scopes: audit:read. Error codes: unauthenticated, insufficient_scope, validation_failed, invalid_json, payload_too_large, tenant_forbidden, not_found.
         */
        post: {
            parameters: {
                query?: {
                    tenant?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the JSON Lines text of a checkpoint log (COUNTERSIGN_CHECKPOINT_FILE). The whole body is at most 256 KiB (about 1,000 checkpoints): split a longer log and send each part, or verify it on the server with `npm run audit:verify -- --checkpoints FILE` */
                        checkpoints: string;
                        /** @description the Ed25519 public key that signed the checkpoints, PEM or base64 DER (SPKI, as the server prints at start); default: this server's own */
                        public_key?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            checkpoints: {
                                lines: number;
                                /** @description bad lines naming no tenant checked here */
                                problems: {
                                    /**
                                     * @description rewound: the chain ends below a signed checkpoint; rewritten: the event at a checkpoint is not the one signed (or two checkpoints signed different ones); bad_signature: the line was altered or forged; unknown_key: signed by another key than the given one; not_a_checkpoint: not a checkpoint at all
                                     * @enum {string}
                                     */
                                    code: "rewound" | "rewritten" | "bad_signature" | "unknown_key" | "not_a_checkpoint";
                                    /** @description the line of the checkpoint log concerned */
                                    line: number;
                                    reason: string;
                                    tenant?: string;
                                }[];
                            };
                            /** @description every chain holds against its checkpoints, nothing was forged, and every line of the log is a checkpoint signed by the key */
                            ok: boolean;
                            results: {
                                checked: number;
                                /** @description the last checkpoint the chain was checked against; null: the log signed none for this tenant */
                                checkpoint: {
                                    at: string;
                                    line: number;
                                    seq: number;
                                } | null;
                                /** @description the chain rewound below or rewritten at a checkpoint, and the log's bad lines naming this tenant */
                                checkpoint_problems: {
                                    /**
                                     * @description rewound: the chain ends below a signed checkpoint; rewritten: the event at a checkpoint is not the one signed (or two checkpoints signed different ones); bad_signature: the line was altered or forged; unknown_key: signed by another key than the given one; not_a_checkpoint: not a checkpoint at all
                                     * @enum {string}
                                     */
                                    code: "rewound" | "rewritten" | "bad_signature" | "unknown_key" | "not_a_checkpoint";
                                    /** @description the line of the checkpoint log concerned */
                                    line: number;
                                    reason: string;
                                    /** @description rewound, rewritten: the event the checkpoint signed */
                                    seq?: number;
                                }[];
                                first_broken: {
                                    reason: string;
                                    seq: number;
                                } | null;
                                head: {
                                    hash: string;
                                    seq: number;
                                } | null;
                                /** @description the chain holds, against its checkpoints too (a rewind or rewrite is also its first_broken), and no forged event was found */
                                ok: boolean;
                                /** @description events that committed between sealing and reading */
                                pending: number;
                                /** @description rows the sealer refused to seal because their MAC fails (forged), oldest first, at most 100; any makes ok false */
                                rejected: {
                                    actor: string;
                                    created_at: string;
                                    id: number;
                                    reason: string;
                                    type: string;
                                }[];
                                tenant: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/integrations/slack/interactions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Slack's interactivity requests (application/x-www-form-urlencoded `payload`, as Slack sends them). No bearer token: Slack's v0 signature (X-Slack-Signature, X-Slack-Request-Timestamp within 5 minutes) is the credential, and each signed request is acted on once; anything else is 401 and stores nothing. A button opens the vote modal (views.open); its submission votes as the linked person with every rule of the console
         * @description Scopes: . Error codes: unauthenticated, insufficient_scope, payload_too_large.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The caller's own jobs (submitted with the same token, or by the same person), newest first; filter by topic and job_hash (the MCP gateway finds the call it held before: the agent's most recent job with one topic and job hash)
         * @description Scopes: jobs:read. Error codes: unauthenticated, insufficient_scope, validation_failed.
         */
        get: {
            parameters: {
                query?: {
                    job_hash?: string;
                    limit?: string;
                    topic?: string;
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            items: {
                                approval_required: boolean;
                                can_act: boolean;
                                constraints: {
                                    max_runtime_sec?: number;
                                    network_allowlist?: string[];
                                } | null;
                                /** @enum {string} */
                                decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                                decision_summary: {
                                    next_effect: string;
                                    title: string;
                                    why: string;
                                };
                                job: {
                                    callback_url: string | null;
                                    created_at: string;
                                    description: string | null;
                                    id: string;
                                    labels: {
                                        [key: string]: string;
                                    };
                                    on_behalf_of: string | null;
                                    payload: {
                                        [key: string]: unknown;
                                    };
                                    requested_by: string;
                                    risk_tags: string[];
                                    /** @enum {string} */
                                    state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                    title: string | null;
                                    topic: string;
                                    updated_at: string;
                                };
                                job_hash: string;
                                matched_rules: {
                                    decision: string;
                                    /** @description why the rule's match.when could not be evaluated */
                                    error?: string;
                                    id: string;
                                    reason: string | null;
                                }[];
                                policy_reason: string;
                                policy_rule_id: string;
                                policy_snapshot: string;
                                requirements: {
                                    approvals: number;
                                    count: number;
                                    roles: string[];
                                    rule_id: string;
                                }[];
                                resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                                resolved_at: string | null;
                                resolved_by: string | null;
                                resolved_comment: string | null;
                                sla: {
                                    due_at: string | null;
                                    escalated: boolean;
                                    expires_at: string | null;
                                };
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Submit a proposed action; the policy decides at once. With "claim": true (the caller also holds jobs:execute; insufficient_scope otherwise), a job the policy allows is claimed in the same request: the answer carries `grant` (as from claim) and the job is RUNNING; a job that needs approval or is denied is not claimed and has no grant
         * @description Scopes: jobs:submit. Error codes: unauthenticated, insufficient_scope, rate_limited, validation_failed, invalid_json, payload_too_large, idempotency_key_reused.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Same key and same body returns the first job (200); same key and another body is 409 idempotency_key_reused. `claim` is not part of the body compared; a replay asking to claim gets the grant again while the job it claimed at submission is still RUNNING. */
                    "Idempotency-Key"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** Format: uri */
                        callback_url?: string;
                        claim?: boolean;
                        description?: string;
                        labels?: {
                            [key: string]: string;
                        };
                        /** Format: email */
                        on_behalf_of?: string;
                        payload: {
                            [key: string]: unknown;
                        };
                        /** @default [] */
                        risk_tags?: string[];
                        title?: string;
                        topic: string;
                    };
                };
            };
            responses: {
                /** @description Replay of an Idempotency-Key: the first job */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            approval_required: boolean;
                            can_act: boolean;
                            constraints: {
                                max_runtime_sec?: number;
                                network_allowlist?: string[];
                            } | null;
                            /** @enum {string} */
                            decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                            decision_summary: {
                                next_effect: string;
                                title: string;
                                why: string;
                            };
                            grant?: {
                                constraints: {
                                    max_runtime_sec?: number;
                                    network_allowlist?: string[];
                                } | null;
                                job_hash: string;
                                job_id: string;
                                policy_snapshot: string;
                            };
                            job: {
                                callback_url: string | null;
                                created_at: string;
                                description: string | null;
                                id: string;
                                labels: {
                                    [key: string]: string;
                                };
                                on_behalf_of: string | null;
                                payload: {
                                    [key: string]: unknown;
                                };
                                requested_by: string;
                                risk_tags: string[];
                                /** @enum {string} */
                                state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                title: string | null;
                                topic: string;
                                updated_at: string;
                            };
                            job_hash: string;
                            matched_rules: {
                                decision: string;
                                /** @description why the rule's match.when could not be evaluated */
                                error?: string;
                                id: string;
                                reason: string | null;
                            }[];
                            policy_reason: string;
                            policy_rule_id: string;
                            policy_snapshot: string;
                            requirements: {
                                approvals: number;
                                count: number;
                                roles: string[];
                                rule_id: string;
                            }[];
                            resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                            resolved_at: string | null;
                            resolved_by: string | null;
                            resolved_comment: string | null;
                            sla: {
                                due_at: string | null;
                                escalated: boolean;
                                expires_at: string | null;
                            };
                        };
                    };
                };
                /** @description Success */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            approval_required: boolean;
                            can_act: boolean;
                            constraints: {
                                max_runtime_sec?: number;
                                network_allowlist?: string[];
                            } | null;
                            /** @enum {string} */
                            decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                            decision_summary: {
                                next_effect: string;
                                title: string;
                                why: string;
                            };
                            grant?: {
                                constraints: {
                                    max_runtime_sec?: number;
                                    network_allowlist?: string[];
                                } | null;
                                job_hash: string;
                                job_id: string;
                                policy_snapshot: string;
                            };
                            job: {
                                callback_url: string | null;
                                created_at: string;
                                description: string | null;
                                id: string;
                                labels: {
                                    [key: string]: string;
                                };
                                on_behalf_of: string | null;
                                payload: {
                                    [key: string]: unknown;
                                };
                                requested_by: string;
                                risk_tags: string[];
                                /** @enum {string} */
                                state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                title: string | null;
                                topic: string;
                                updated_at: string;
                            };
                            job_hash: string;
                            matched_rules: {
                                decision: string;
                                /** @description why the rule's match.when could not be evaluated */
                                error?: string;
                                id: string;
                                reason: string | null;
                            }[];
                            policy_reason: string;
                            policy_rule_id: string;
                            policy_snapshot: string;
                            requirements: {
                                approvals: number;
                                count: number;
                                roles: string[];
                                rule_id: string;
                            }[];
                            resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                            resolved_at: string | null;
                            resolved_by: string | null;
                            resolved_comment: string | null;
                            sla: {
                                due_at: string | null;
                                escalated: boolean;
                                expires_at: string | null;
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The job; ?wait=N holds until it leaves APPROVAL (N ≤ 55)
         * @description Scopes: jobs:read. Error codes: unauthenticated, insufficient_scope, not_found, too_many_waits.
         */
        get: {
            parameters: {
                query?: {
                    wait?: string;
                };
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            approval_required: boolean;
                            can_act: boolean;
                            constraints: {
                                max_runtime_sec?: number;
                                network_allowlist?: string[];
                            } | null;
                            /** @enum {string} */
                            decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                            decision_summary: {
                                next_effect: string;
                                title: string;
                                why: string;
                            };
                            job: {
                                callback_url: string | null;
                                created_at: string;
                                description: string | null;
                                id: string;
                                labels: {
                                    [key: string]: string;
                                };
                                on_behalf_of: string | null;
                                payload: {
                                    [key: string]: unknown;
                                };
                                requested_by: string;
                                risk_tags: string[];
                                /** @enum {string} */
                                state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                title: string | null;
                                topic: string;
                                updated_at: string;
                            };
                            job_hash: string;
                            matched_rules: {
                                decision: string;
                                /** @description why the rule's match.when could not be evaluated */
                                error?: string;
                                id: string;
                                reason: string | null;
                            }[];
                            policy_reason: string;
                            policy_rule_id: string;
                            policy_snapshot: string;
                            requirements: {
                                approvals: number;
                                count: number;
                                roles: string[];
                                rule_id: string;
                            }[];
                            resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                            resolved_at: string | null;
                            resolved_by: string | null;
                            resolved_comment: string | null;
                            sla: {
                                due_at: string | null;
                                escalated: boolean;
                                expires_at: string | null;
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/{id}/cancel": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * The submitter withdraws a job still in APPROVAL
         * @description Scopes: jobs:submit. Error codes: unauthenticated, insufficient_scope, not_found, not_submitter, already_resolved, expired.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: {
                content: {
                    "application/json": {
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            approval_required: boolean;
                            can_act: boolean;
                            constraints: {
                                max_runtime_sec?: number;
                                network_allowlist?: string[];
                            } | null;
                            /** @enum {string} */
                            decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                            decision_summary: {
                                next_effect: string;
                                title: string;
                                why: string;
                            };
                            job: {
                                callback_url: string | null;
                                created_at: string;
                                description: string | null;
                                id: string;
                                labels: {
                                    [key: string]: string;
                                };
                                on_behalf_of: string | null;
                                payload: {
                                    [key: string]: unknown;
                                };
                                requested_by: string;
                                risk_tags: string[];
                                /** @enum {string} */
                                state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                title: string | null;
                                topic: string;
                                updated_at: string;
                            };
                            job_hash: string;
                            matched_rules: {
                                decision: string;
                                /** @description why the rule's match.when could not be evaluated */
                                error?: string;
                                id: string;
                                reason: string | null;
                            }[];
                            policy_reason: string;
                            policy_rule_id: string;
                            policy_snapshot: string;
                            requirements: {
                                approvals: number;
                                count: number;
                                roles: string[];
                                rule_id: string;
                            }[];
                            resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                            resolved_at: string | null;
                            resolved_by: string | null;
                            resolved_comment: string | null;
                            sla: {
                                due_at: string | null;
                                escalated: boolean;
                                expires_at: string | null;
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/{id}/claim": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Claim the execution grant of an APPROVED job, once
         * @description Scopes: jobs:execute. Error codes: unauthenticated, insufficient_scope, not_found, stale_request, stale_snapshot, already_claimed, not_approved, expired.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        job_hash: string;
                        policy_snapshot?: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            constraints: {
                                max_runtime_sec?: number;
                                network_allowlist?: string[];
                            } | null;
                            job_hash: string;
                            job_id: string;
                            policy_snapshot: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Report the outcome of a RUNNING job
         * @description Scopes: jobs:execute. Error codes: unauthenticated, insufficient_scope, not_found, not_running.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        detail?: string;
                        /** @enum {string} */
                        outcome: "succeeded" | "failed";
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            approval_required: boolean;
                            can_act: boolean;
                            constraints: {
                                max_runtime_sec?: number;
                                network_allowlist?: string[];
                            } | null;
                            /** @enum {string} */
                            decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                            decision_summary: {
                                next_effect: string;
                                title: string;
                                why: string;
                            };
                            job: {
                                callback_url: string | null;
                                created_at: string;
                                description: string | null;
                                id: string;
                                labels: {
                                    [key: string]: string;
                                };
                                on_behalf_of: string | null;
                                payload: {
                                    [key: string]: unknown;
                                };
                                requested_by: string;
                                risk_tags: string[];
                                /** @enum {string} */
                                state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                title: string | null;
                                topic: string;
                                updated_at: string;
                            };
                            job_hash: string;
                            matched_rules: {
                                decision: string;
                                /** @description why the rule's match.when could not be evaluated */
                                error?: string;
                                id: string;
                                reason: string | null;
                            }[];
                            policy_reason: string;
                            policy_rule_id: string;
                            policy_snapshot: string;
                            requirements: {
                                approvals: number;
                                count: number;
                                roles: string[];
                                rule_id: string;
                            }[];
                            resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                            resolved_at: string | null;
                            resolved_by: string | null;
                            resolved_comment: string | null;
                            sla: {
                                due_at: string | null;
                                escalated: boolean;
                                expires_at: string | null;
                            };
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/jobs/{id}/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Decision log (why the policy gated) and approval log (who decided)
         * @description Scopes: jobs:read or approvals:read. Error codes: unauthenticated, insufficient_scope, not_found.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description What happens when the SLA passes, and the roles it escalates to */
                            deadline: {
                                escalate_to: string[];
                                on_timeout: ("escalate" | "reject") | null;
                            };
                            decisions: {
                                /** @enum {string} */
                                cause: "submit" | "policy_change" | "standing_approval";
                                constraints: {
                                    [key: string]: unknown;
                                } | null;
                                /** @description RFC 3339 timestamp */
                                created_at: string;
                                /** @enum {string} */
                                decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                                matched_rules: {
                                    decision: string;
                                    disagreed?: boolean;
                                    /** @description why the rule's match.when could not be evaluated */
                                    error?: string;
                                    id: string;
                                    /** @description e.g. "shadow: would have required approval", or why a budgeted rule did not match */
                                    note?: string;
                                    /**
                                     * @description a budgeted rule that would have matched but was past its budget
                                     * @constant
                                     */
                                    over_budget?: true;
                                    reason: string | null;
                                    /** @constant */
                                    shadow?: true;
                                    /**
                                     * @description shadow rules: the outcome had this rule alone been live
                                     * @enum {string}
                                     */
                                    would_decide?: "allow" | "allow_with_constraints" | "require_approval" | "deny";
                                }[];
                                policy_snapshot: string;
                                reason: string;
                                requirements: {
                                    count: number;
                                    roles: string[];
                                    rule_id: string;
                                }[];
                                rule_id: string;
                            }[];
                            /** @description The run: who claimed the job and when, and how it completed (null until claimed) */
                            execution: {
                                /** @description RFC 3339 timestamp */
                                claimed_at: string;
                                claimed_by: string | null;
                                completed_at: string | null;
                                detail: string | null;
                                outcome: ("succeeded" | "failed") | null;
                            } | null;
                            job: {
                                approval_required: boolean;
                                can_act: boolean;
                                constraints: {
                                    max_runtime_sec?: number;
                                    network_allowlist?: string[];
                                } | null;
                                /** @enum {string} */
                                decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                                decision_summary: {
                                    next_effect: string;
                                    title: string;
                                    why: string;
                                };
                                job: {
                                    callback_url: string | null;
                                    created_at: string;
                                    description: string | null;
                                    id: string;
                                    labels: {
                                        [key: string]: string;
                                    };
                                    on_behalf_of: string | null;
                                    payload: {
                                        [key: string]: unknown;
                                    };
                                    requested_by: string;
                                    risk_tags: string[];
                                    /** @enum {string} */
                                    state: "APPROVAL" | "APPROVED" | "RUNNING" | "SUCCEEDED" | "FAILED" | "DENIED" | "REJECTED" | "EXPIRED" | "CANCELLED";
                                    title: string | null;
                                    topic: string;
                                    updated_at: string;
                                };
                                job_hash: string;
                                matched_rules: {
                                    decision: string;
                                    /** @description why the rule's match.when could not be evaluated */
                                    error?: string;
                                    id: string;
                                    reason: string | null;
                                }[];
                                policy_reason: string;
                                policy_rule_id: string;
                                policy_snapshot: string;
                                requirements: {
                                    approvals: number;
                                    count: number;
                                    roles: string[];
                                    rule_id: string;
                                }[];
                                resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                                resolved_at: string | null;
                                resolved_by: string | null;
                                resolved_comment: string | null;
                                sla: {
                                    due_at: string | null;
                                    escalated: boolean;
                                    expires_at: string | null;
                                };
                            };
                            resolution: ("approved" | "rejected" | "expired" | "cancelled") | null;
                            resolved_at: string | null;
                            resolved_by: string | null;
                            resolved_comment: string | null;
                            /** @description Whether the caller may vote on this job now, and if not, the code `resolve` would answer and why */
                            viewer: {
                                can_act: boolean;
                                code: string | null;
                                message: string | null;
                            };
                            votes: {
                                /** @description RFC 3339 timestamp */
                                created_at: string;
                                /** @description The credential the vote came through: `token:<id>` or `session:<id>` */
                                credential: string | null;
                                note: string | null;
                                reason: string;
                                roles: string[];
                                /** @enum {string} */
                                vote: "approve" | "reject";
                                voter: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics/daily": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Time-to-decision p50/p90/p99 per UTC day of the window (human decisions), every day listed; for window=24h also per UTC hour (`hours`)
         * @description Scopes: metrics:read. Error codes: unauthenticated, insufficient_scope, validation_failed.
         */
        get: {
            parameters: {
                query?: {
                    window?: "24h" | "7d" | "30d";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            days: {
                                /** @description YYYY-MM-DD (UTC) */
                                day: string;
                                decided: number;
                                time_to_decision_sec: {
                                    p50: number | null;
                                    p90: number | null;
                                    p99: number | null;
                                };
                            }[];
                            /** @description window=24h only: every UTC hour of the window, oldest first */
                            hours?: {
                                decided: number;
                                /** @description the hour's UTC start, YYYY-MM-DDTHH:00:00Z */
                                hour: string;
                                time_to_decision_sec: {
                                    p50: number | null;
                                    p90: number | null;
                                    p99: number | null;
                                };
                            }[];
                            /** @description RFC 3339 timestamp */
                            since: string;
                            /** @enum {string} */
                            window: "24h" | "7d" | "30d";
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics/decisions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Time-to-decision percentiles, outcomes, SLA breaches, rejection reasons, queue depth
         * @description Scopes: metrics:read. Error codes: unauthenticated, insufficient_scope, validation_failed.
         */
        get: {
            parameters: {
                query?: {
                    group_by?: "overall" | "rule" | "topic" | "approver" | "tier";
                    window?: "24h" | "7d" | "30d";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            group_by: string;
                            groups: {
                                approved: number;
                                decided: number;
                                expired: number;
                                key: string;
                                rejected: number;
                                rejection_reasons: {
                                    count: number;
                                    reason: string;
                                }[];
                                sla_breach_rate: number;
                                sla_breaches: number;
                                time_to_decision_sec: {
                                    p50: number | null;
                                    p90: number | null;
                                    p99: number | null;
                                };
                            }[];
                            queue: {
                                depth: number;
                                oldest_pending_age_sec: number | null;
                            };
                            /** @description RFC 3339 timestamp */
                            since: string;
                            /** @enum {string} */
                            window: "24h" | "7d" | "30d";
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/metrics/shadow": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Per shadow rule over the window: jobs it matched, how many it would have decided otherwise than the live outcome, and examples
         * @description Scopes: metrics:read. Error codes: unauthenticated, insufficient_scope, validation_failed.
         */
        get: {
            parameters: {
                query?: {
                    window?: "24h" | "7d" | "30d";
                };
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            rules: {
                                /** @description of those, jobs whose live outcome differs from what this rule alone would have made it */
                                disagreed: number;
                                /** @description submissions of the window the shadow rule matched */
                                evaluated: number;
                                /** @description the latest disagreeing job ids, at most 5 */
                                examples: string[];
                                rule_id: string;
                            }[];
                            /** @description RFC 3339 timestamp */
                            since: string;
                            /** @enum {string} */
                            window: "24h" | "7d" | "30d";
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policy": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The active policy snapshot with its YAML
         * @description Scopes: policy:read. Error codes: unauthenticated, insufficient_scope.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            activated_at: string | null;
                            activated_by: string | null;
                            /** @description RFC 3339 timestamp */
                            created_at: string;
                            created_by: string;
                            policy: {
                                [key: string]: unknown;
                            };
                            snapshot_id: string;
                            yaml: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        /**
         * Upload a new policy (application/yaml); re-decides pending and approved, unclaimed jobs
         * @description Scopes: policy:write. Error codes: unauthenticated, insufficient_scope, invalid_policy, validation_failed, unsupported_media_type, payload_too_large.
         */
        put: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/yaml": string;
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changed: boolean;
                            redecided: number;
                            snapshot_id: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policy/budgets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * What each budget of the active policy has spent over its sliding window, per agent, on_behalf_of or tenant
         * @description Scopes: policy:read. Error codes: unauthenticated, insufficient_scope.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            budgets: {
                                max_count: number | null;
                                max_sum: {
                                    field: string;
                                    value: number;
                                } | null;
                                /** @description scopes with use beyond the 20 busiest listed */
                                others: number;
                                /** @enum {string} */
                                per: "agent" | "on_behalf_of" | "tenant";
                                rule_id: string;
                                scopes: {
                                    count: number;
                                    /** @description the agent (requested_by) or on_behalf_of; null for per tenant */
                                    key: string | null;
                                    /** @description of max_sum.field; 0 without max_sum */
                                    sum: number;
                                }[];
                                window: string;
                            }[];
                            policy_snapshot: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policy/simulate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * What a candidate policy would decide, for one job or the last days' jobs
         * @description Scopes: policy:read. Error codes: unauthenticated, insufficient_scope, invalid_policy, validation_failed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        days?: number;
                        job?: {
                            /** Format: uri */
                            callback_url?: string;
                            description?: string;
                            labels?: {
                                [key: string]: string;
                            };
                            /** Format: email */
                            on_behalf_of?: string;
                            payload: {
                                [key: string]: unknown;
                            };
                            /** @default [] */
                            risk_tags?: string[];
                            title?: string;
                            topic: string;
                        };
                        yaml: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": Record<string, never>;
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policy/snapshots": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Policy history
         * @description Scopes: policy:read. Error codes: unauthenticated, insufficient_scope.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            active: string | null;
                            items: {
                                activations: number;
                                active: boolean;
                                /** @description RFC 3339 timestamp */
                                created_at: string;
                                created_by: string;
                                last_activated_at: string | null;
                                snapshot_id: string;
                                yaml: string;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policy/snapshots/{id}/activate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Rollback: make an earlier snapshot active again (a new activation, audited; re-decides as PUT /policy does)
         * @description Scopes: policy:write. Error codes: unauthenticated, insufficient_scope, not_found.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    id: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            changed: boolean;
                            redecided: number;
                            snapshot_id: string;
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/policy/test": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a tests file against a policy (both YAML) with the pure engine; touches no data
         * @description Scopes: policy:read. Error codes: unauthenticated, insufficient_scope, invalid_policy, invalid_tests, validation_failed.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description the policy, as YAML */
                        policy: string;
                        /** @description the tests file: a YAML list of {name, job, expect} */
                        tests: string;
                    };
                };
            };
            responses: {
                /** @description Success */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            failed: number;
                            passed: number;
                            results: {
                                actual: {
                                    constraints: {
                                        max_runtime_sec?: number;
                                        network_allowlist?: string[];
                                    } | null;
                                    /** @enum {string} */
                                    decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                                    requirements: {
                                        count: number;
                                        roles: string[];
                                        rule_id: string;
                                    }[];
                                    rule_id: string;
                                };
                                expected: {
                                    constraints?: {
                                        max_runtime_sec?: number;
                                        network_allowlist?: string[];
                                    } | null;
                                    /** @enum {string} */
                                    decision: "ALLOW" | "ALLOW_WITH_CONSTRAINTS" | "REQUIRE_APPROVAL" | "DENY";
                                    requirements?: {
                                        count: number;
                                        roles: string[];
                                        rule_id: string;
                                    }[];
                                    rule_id?: string;
                                };
                                name: string;
                                ok: boolean;
                            }[];
                        };
                    };
                };
                /** @description RFC 9457 problem */
                default: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/problem+json": components["schemas"]["Problem"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        Problem: {
            code: string;
            detail: string;
            errors?: Record<string, never>[];
            request_id?: string;
            status: number;
            title: string;
            type: string;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
