import type { ContentfulStatusCode } from "hono/utils/http-status";
import { ConfigError } from "../config";
import { FeedExists, UrlInvalid, UrlRefused } from "../feeds/errors";
import { type DomainError, InvalidInput, ManagedByConfig, NotFound } from "../lib/errors";
import { StorylineExists } from "../storylines/service";

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

/**
 * The one place a stage's domain error becomes an HTTP problem: its status, type and title.
 * The detail is the error's own message, which says what to change.
 */
export function problemFor(error: DomainError): ApiError {
  const fieldErrors = (message: string) => (error.field ? { errors: [{ field: error.field, message }] } : {});
  if (error instanceof NotFound) {
    return new ApiError({ status: 404, slug: "not-found", title: "Not found", detail: error.message });
  }
  if (error instanceof ManagedByConfig) {
    return new ApiError({
      status: 409,
      slug: "managed-by-config",
      title: `${error.what === "feed" ? "Feed" : "Storyline"} declared in storylines.json`,
      detail: error.message,
    });
  }
  if (error instanceof InvalidInput) {
    return new ApiError({
      status: 400,
      slug: "validation-failed",
      title: "Request validation failed",
      detail: error.message,
      extensions: fieldErrors(error.problem),
    });
  }
  if (error instanceof UrlInvalid) {
    return new ApiError({
      status: 400,
      slug: "invalid-url",
      title: "Invalid URL",
      detail: error.message,
      extensions: fieldErrors(error.reason),
    });
  }
  if (error instanceof UrlRefused) {
    return new ApiError({
      status: 400,
      slug: "url-refused",
      title: "URL refused",
      detail: error.message,
      extensions: fieldErrors(`refused: ${error.reason}`),
    });
  }
  if (error instanceof StorylineExists) {
    return new ApiError({
      status: 409,
      slug: "already-exists",
      title: "Storyline exists",
      detail: error.message,
      extensions: { existing: `/v1/storylines/${error.id}` },
    });
  }
  if (error instanceof FeedExists) {
    return new ApiError({
      status: 409,
      slug: "feed-exists",
      title: "Feed already watched",
      detail: error.message,
      extensions: error.existing ? { existing: error.existing } : {},
    });
  }
  if (error instanceof ConfigError) {
    return new ApiError({ status: 500, slug: "misconfigured", title: "Worker misconfigured", detail: error.message });
  }
  return internalError(error);
}

/** Anything we did not expect: a 500 that says nothing of our insides (the cause is logged). */
export function internalError(cause: unknown): ApiError {
  return new ApiError({
    status: 500,
    slug: "internal-error",
    title: "Internal error",
    detail: "The request failed on our side; nothing was changed. Try again, and report it if it persists.",
    cause,
  });
}
