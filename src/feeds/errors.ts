import { DomainError } from "../lib/errors";
import type { FeedJson } from "../store/feeds";
import type { FetchErrorClass } from "./fetch";

/** A feed or webhook URL that is not a usable absolute http(s) URL (RFC 3986, WHATWG URL). */
export class UrlInvalid extends DomainError {
  constructor(
    field: string,
    readonly raw: string,
    readonly reason: string,
  ) {
    super(`${field} ${JSON.stringify(raw)} is not usable: ${reason}.`, { field });
  }
}

/** A URL whose target is not public (loopback, private, link-local, metadata, …): the SSRF guard. */
export class UrlRefused extends DomainError {
  constructor(
    field: string,
    readonly raw: string,
    readonly reason: string,
  ) {
    super(
      `${field} ${JSON.stringify(raw)} is refused: ${reason}. Use a public http(s) address (private addresses are allowed only with ALLOW_PRIVATE_NETWORK=true, for local development).`,
      { field },
    );
  }
}

/** The feed's URL is already watched, as `existing`. */
export class FeedExists extends DomainError {
  constructor(
    readonly url: string,
    readonly existing: FeedJson | null,
  ) {
    super(`${url} is already watched as feed ${existing?.id ?? "(unknown)"}; use that feed, or delete it first.`, {
      field: "url",
    });
  }
}

/** A fetch that did not bring a feed body; the class goes to the feed's health as last_status. */
export class FetchFailed extends DomainError {
  constructor(
    readonly errorClass: FetchErrorClass,
    message: string,
    readonly status: number | null = null,
    readonly retryAfterSeconds: number | null = null,
  ) {
    super(message);
  }
}
