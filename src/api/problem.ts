import type { ContentfulStatusCode } from "hono/utils/http-status";

/**
 * The one error type of the API, rendered as application/problem+json (RFC 9457) by the
 * app's single onError. `detail` must say what to change, not only what went wrong.
 */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  readonly slug: string;
  readonly title: string;
  readonly detail: string;
  readonly extensions: Record<string, unknown>;
  readonly headers: Record<string, string>;

  constructor(init: {
    status: ContentfulStatusCode;
    /** Short machine name of the problem type, e.g. "validation-failed". */
    slug: string;
    title: string;
    detail: string;
    /** RFC 9457 §3.2 extension members, e.g. `errors` or `existing`. */
    extensions?: Record<string, unknown>;
    headers?: Record<string, string>;
    cause?: unknown;
  }) {
    super(init.detail, { cause: init.cause });
    this.name = "ApiError";
    this.status = init.status;
    this.slug = init.slug;
    this.title = init.title;
    this.detail = init.detail;
    this.extensions = init.extensions ?? {};
    this.headers = init.headers ?? {};
  }
}

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** RFC 9457 §3.1: `type` is a URI; ours are stable URNs that clients can switch on. */
export function problemType(slug: string): string {
  return `urn:storywatch:problem:${slug}`;
}

export function problemBody(error: ApiError, instance?: string): Record<string, unknown> {
  return {
    type: problemType(error.slug),
    title: error.title,
    status: error.status,
    detail: error.detail,
    ...(instance ? { instance } : {}),
    ...error.extensions,
  };
}

export function problemResponse(error: ApiError, instance?: string): Response {
  return new Response(JSON.stringify(problemBody(error, instance)), {
    status: error.status,
    headers: { "content-type": PROBLEM_CONTENT_TYPE, ...error.headers },
  });
}

export const notFound = (what: string, id: string): ApiError =>
  new ApiError({
    status: 404,
    slug: "not-found",
    title: "Not found",
    detail: `No ${what} with id "${id}". List them with GET to find the right id.`,
  });

/**
 * A feed or storyline declared in storylines.json: the file is re-applied on every tick, so a
 * change over the API would be undone (or, for a delete, come back). Both answer this same 409.
 */
export const managedByConfig = (what: "feed" | "storyline", id: string, action: string): ApiError =>
  new ApiError({
    status: 409,
    slug: "managed-by-config",
    title: `${what === "feed" ? "Feed" : "Storyline"} declared in storylines.json`,
    detail: `This ${what} ("${id}") is declared in storylines.json, which is re-applied on every tick; ${action} it there and deploy.`,
  });
