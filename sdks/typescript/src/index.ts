/**
 * Official TypeScript client for the InstantReply API.
 *
 * `client` is an openapi-fetch client typed from the API's schema (src/generated);
 * this file adds what the schema cannot say: retries with idempotency keys, a typed
 * error, a cursor walk and webhook verification.
 */
import createClient, { type Client } from "openapi-fetch";
import { Webhook, WebhookVerificationError } from "standardwebhooks";

import type { components, paths } from "./generated/schema.js";

export type { components, paths };
export { WebhookVerificationError };

export const DEFAULT_BASE_URL = "https://api.instantreply.co";

export interface ErrorDetail {
  field: string | null;
  issue: string;
}

/** A non-2xx answer of the API, after any retries. */
export class InstantReplyError extends Error {
  readonly status: number;
  /** The stable code to branch on: RESOURCE_NOT_FOUND, VALIDATION_ERROR... */
  readonly code: string;
  readonly doc_url: string | null;
  /** The id to quote to support (a replay names the original request, as its body does). */
  readonly request_id: string | null;
  readonly details: ErrorDetail[];

  constructor(init: {
    status: number;
    code: string;
    message: string;
    doc_url: string | null;
    request_id: string | null;
    details: ErrorDetail[];
  }) {
    super(init.message);
    this.name = "InstantReplyError";
    this.status = init.status;
    this.code = init.code;
    this.doc_url = init.doc_url;
    this.request_id = init.request_id;
    this.details = init.details;
  }

  static async fromResponse(response: Response): Promise<InstantReplyError> {
    try {
      const { error } = (await response.clone().json()) as components["schemas"]["ErrorEnvelope"];
      return new InstantReplyError({
        status: response.status,
        code: error.code,
        message: error.message,
        doc_url: error.doc_url,
        request_id: error.request_id,
        details: error.details.map((d) => ({ field: d.field, issue: d.issue })),
      });
    } catch {
      // Not the API's envelope: something in between (a proxy, a load balancer) answered.
      return new InstantReplyError({
        status: response.status,
        code: "UNEXPECTED_RESPONSE",
        message: `HTTP ${response.status} without the API's error envelope`,
        doc_url: null,
        request_id: response.headers.get("X-Request-Id"),
        details: [],
      });
    }
  }
}

export interface InstantReplyOptions {
  apiKey: string;
  baseUrl?: string;
  /** Retries after the first attempt (429, 503, IDEMPOTENCY_KEY_IN_USE, network errors). */
  maxRetries?: number;
  /** Seconds: a Retry-After above this is not waited for; the error is thrown. */
  maxRetryWait?: number;
  fetch?: (request: Request) => Promise<Response>;
}

const WRITE_METHODS = new Set(["POST", "PATCH", "DELETE"]);
const sleep = (seconds: number) => new Promise((resolve) => setTimeout(resolve, seconds * 1000));

/** Retry-After as seconds, from either form (delta-seconds or an HTTP date). */
export function retryAfterSeconds(value: string | null): number | null {
  if (value === null) return null;
  if (/^\s*\d+\s*$/.test(value)) return Number(value);
  const when = Date.parse(value);
  return Number.isNaN(when) ? null : Math.max(0, (when - Date.now()) / 1000);
}

// Exponential with jitter, so many clients cut off together do not come back in step.
const backoff = (attempt: number) => Math.min(8, 0.5 * 2 ** attempt) * (0.5 + Math.random() / 2);

/**
 * A fetch that gives every write an Idempotency-Key (unless one is set) and retries the
 * very same request: on 429 and 503, and on 409 IDEMPOTENCY_KEY_IN_USE (none of which
 * ran it) after Retry-After, and on network errors (the request may have run: the key
 * makes the retry a replay) with backoff.
 */
export function retryingFetch(
  inner: (request: Request) => Promise<Response>,
  maxRetries: number,
  maxRetryWait: number,
): (request: Request) => Promise<Response> {
  return async (request) => {
    if (WRITE_METHODS.has(request.method) && !request.headers.has("Idempotency-Key")) {
      request.headers.set("Idempotency-Key", crypto.randomUUID());
    }
    for (let attempt = 0; ; attempt++) {
      let response: Response;
      try {
        response = await inner(request.clone());
      } catch (error) {
        // fetch rejects with a TypeError on network failures; an abort is the caller's.
        if (!(error instanceof TypeError) || attempt >= maxRetries) throw error;
        await sleep(backoff(attempt));
        continue;
      }
      if (attempt >= maxRetries) return response;
      let retryable = response.status === 429 || response.status === 503;
      if (response.status === 409) {
        const body = (await response.clone().json().catch(() => null)) as {
          error?: { code?: string };
        } | null;
        retryable = body?.error?.code === "IDEMPOTENCY_KEY_IN_USE";
      }
      if (!retryable) return response;
      const wait = retryAfterSeconds(response.headers.get("Retry-After")) ?? backoff(attempt);
      if (wait > maxRetryWait) return response;
      await response.body?.cancel();
      await sleep(wait);
    }
  };
}

type GetPaths = {
  [P in keyof paths]: paths[P] extends { get: unknown } ? P : never;
}[keyof paths];
type JsonOf<P extends GetPaths> = paths[P]["get"] extends {
  responses: { 200: { content: { "application/json": infer J } } };
}
  ? J
  : never;
/** The list endpoints: a 200 body with `data: T[]` and `pagination`. */
export type ListPath = {
  [P in GetPaths]: JsonOf<P> extends { data: unknown[]; pagination: unknown } ? P : never;
}[GetPaths];
export type ItemOf<P extends ListPath> = JsonOf<P> extends { data: (infer T)[] } ? T : never;
type ParametersOf<P extends ListPath> = paths[P]["get"] extends { parameters: infer Q } ? Q : never;
export type ListParams<P extends ListPath> = {
  query?: Omit<NonNullable<ParametersOf<P> extends { query?: infer Q } ? Q : never>, "cursor">;
} & (ParametersOf<P> extends { path: infer A } ? { path: A } : { path?: never });

export class InstantReply {
  /**
   * The typed openapi-fetch client. A non-2xx answer throws InstantReplyError (after
   * retries), so `data` is set whenever a call returns.
   */
  readonly client: Client<paths>;

  constructor(options: InstantReplyOptions) {
    const maxRetries = options.maxRetries ?? 3;
    const maxRetryWait = options.maxRetryWait ?? 60;
    const inner = options.fetch ?? ((request: Request) => globalThis.fetch(request));
    this.client = createClient<paths>({
      baseUrl: options.baseUrl ?? DEFAULT_BASE_URL,
      headers: { Authorization: `Bearer ${options.apiKey}` },
      fetch: retryingFetch(inner, maxRetries, maxRetryWait),
    });
    this.client.use({
      async onResponse({ response }) {
        if (!response.ok) throw await InstantReplyError.fromResponse(response);
        return undefined;
      },
    });
  }

  /**
   * Every item of a list endpoint, page after page until `next_cursor` is null; the
   * same filters go with every cursor, as the API requires.
   */
  async *paginate<P extends ListPath>(
    path: P,
    params?: ListParams<P>,
  ): AsyncGenerator<ItemOf<P>, void, undefined> {
    const get = this.client.GET as unknown as (
      path: string,
      init: { params: Record<string, unknown> },
    ) => Promise<{ data: { data: ItemOf<P>[]; pagination: { next_cursor: string | null } } }>;
    let cursor: string | null = null;
    do {
      const query = { ...(params?.query ?? {}), ...(cursor === null ? {} : { cursor }) };
      const { data: page } = await get(path, { params: { ...params, query } });
      yield* page.data;
      cursor = page.pagination.next_cursor;
    } while (cursor !== null);
  }
}

/**
 * The event of a delivery whose signature checks out with `secret` (`whsec_...`).
 * Pass the raw body as received (before JSON parsing) and the request's headers
 * (webhook-id, webhook-timestamp, webhook-signature). Throws WebhookVerificationError
 * for a wrong or missing signature or a timestamp more than five minutes away; during
 * a secret rotation either secret's signature passes.
 */
export function verifyWebhook(
  payload: string | Uint8Array,
  headers: Headers | Record<string, string | string[] | undefined>,
  secret: string,
): unknown {
  const lowered: Record<string, string> = {};
  const entries =
    headers instanceof Headers ? [...headers.entries()] : Object.entries(headers);
  for (const [name, value] of entries) {
    if (value !== undefined) lowered[name.toLowerCase()] = Array.isArray(value) ? value.join(", ") : value;
  }
  return new Webhook(secret).verify(payload, lowered);
}
