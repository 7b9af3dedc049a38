/**
 * The errors every stage throws, without HTTP in them: what went wrong and what to change,
 * in words a user can act on. src/api alone turns them into application/problem+json
 * (RFC 9457); the pipeline logs them or records them in a feed's or storyline's health.
 */
export abstract class DomainError extends Error {
  /** The input field the error is about ("url", "feeds", …), named as the client sent it, when there is one. */
  readonly field: string | null;

  constructor(message: string, options: { field?: string | null; cause?: unknown } = {}) {
    super(message, { cause: options.cause });
    this.name = new.target.name;
    this.field = options.field ?? null;
  }
}

/** No such thing: a feed, storyline, webhook, delivery or run of this id. */
export class NotFound extends DomainError {
  constructor(
    readonly what: string,
    readonly id: string,
  ) {
    super(`No ${what} with id "${id}". List them with GET to find the right id.`);
  }
}

/**
 * A feed or storyline declared in storylines.json: the file is re-applied on every tick, so a
 * change over the API would be undone (or, for a delete, come back).
 */
export class ManagedByConfig extends DomainError {
  constructor(
    readonly what: "feed" | "storyline",
    readonly id: string,
    action: "change" | "remove",
  ) {
    super(
      `This ${what} ("${id}") is declared in storylines.json, which is re-applied on every tick; ${action} it there and deploy.`,
    );
  }
}

/** Input that is well-formed but names something that is not there (unknown feed or storyline ids). */
export class InvalidInput extends DomainError {
  constructor(
    field: string,
    /** Short, for the field's entry in a list of errors. */
    readonly problem: string,
    /** Whole sentences: what is wrong and what to do instead. */
    message: string,
  ) {
    super(message, { field });
  }
}
