/**
 * The one zod schema of a storyline as users write it: it validates POST /v1/storylines and
 * the bundled storylines.json, documents the API (/openapi.json), and generates
 * schemas/storyline.schema.json (`npm run schema`), so the three cannot drift apart.
 */
import { z } from "@hono/zod-openapi";
import type { DevelopmentType, StorylineKind } from "../contracts";
import { compileQuery, MAX_QUERY_CHARS, QueryLimitError, QuerySyntaxError, removeInvisible } from "./query";

export const STORYLINE_ID_PATTERN = "^[a-z0-9]+(?:-[a-z0-9]+)*$";
export const DEFAULT_ALERT_ON = ["status_change", "new_fact"] as const;

/**
 * What a storyline alerts on when it does not say: status moves and new facts; a topic has
 * neither (its developments are new clusters of coverage), so it alerts on coverage.
 */
export function defaultAlertOn(kind: StorylineKind): DevelopmentType[] {
  return kind === "topic" ? ["coverage"] : [...DEFAULT_ALERT_ON];
}

export const StorylineIdSchema = z
  .string()
  .min(1)
  .max(64)
  .regex(new RegExp(STORYLINE_ID_PATTERN), {
    message: "must be a slug: lowercase letters and digits in groups joined by single hyphens, e.g. putin-trump-summit",
  })
  .describe("Slug that names the storyline in URLs, e.g. putin-trump-summit.");

export const StorylineKindSchema = z
  .enum(["event", "agreement", "topic"])
  .describe("event: summit, meeting, visit, round of talks; agreement: deal, truce, treaty; topic: no status.");

export const QuerySchema = z
  .string()
  .min(1)
  .max(MAX_QUERY_CHARS)
  .superRefine((query, ctx) => {
    // Too long is already reported by max(), before any parsing.
    if (query.length > MAX_QUERY_CHARS) return;
    try {
      compileQuery(query);
    } catch (error) {
      if (!(error instanceof QuerySyntaxError)) throw error;
      ctx.addIssue({
        code: "custom",
        message: `is not a valid query: ${error.message}`,
        params: { position: error.position, ...(error instanceof QueryLimitError ? { limit: error.part } : {}) },
      });
    }
  })
  .describe(
    'Boolean query: AND, OR, NOT (NOT binds tightest, then AND, also implicit between terms, then OR), parentheses, "quoted phrases", trailing * wildcards, a NEAR/n b, title: and summary: prefixes. Case- and accent-insensitive, whole words.',
  );

export const AlertOnSchema = z
  .array(z.enum(["status_change", "new_fact", "coverage"]))
  .max(3)
  .refine((types) => new Set(types).size === types.length, { message: "must not repeat a type" })
  .describe("Development types that raise alerts; coverage is opt-in.");

export const FeedIdsSchema = z
  .array(z.string().min(1).max(100))
  .min(1)
  .max(1000)
  .nullable()
  .describe("Feed ids this storyline watches; null or absent = all feeds.");

export const AliasesSchema = z
  .record(z.string().min(1).max(200), z.array(z.string().min(1).max(200)).max(50))
  .nullable()
  .describe('Other names of places and entities, e.g. {"Anchorage": ["Joint Base Elmendorf-Richardson"]}.');

export const ParticipantsSchema = z
  .array(
    z.strictObject({
      name: z.string().trim().min(1).max(200).describe("The principal, as news names it in full."),
      aliases: z
        .array(z.string().trim().min(1).max(200))
        .max(50)
        .optional()
        .describe('Other names that stand for this principal, e.g. ["Putin", "Kremlin"].'),
    }),
  )
  .max(50)
  .nullable()
  .describe(
    "The principals whose own acts move the status (the title's parties count too). An envoy, minister, delegation or spokesperson of a principal is not the principal unless declared here.",
  );

const storylineFields = {
  title: z
    .string()
    .trim()
    .min(1)
    .max(200)
    .refine((title) => removeInvisible(title).trim() !== "", {
      message: "has only invisible characters (zero-width or direction marks): write a title people can read",
    })
    .describe("What the storyline is about, for people."),
  kind: StorylineKindSchema,
  query: QuerySchema,
  feeds: FeedIdsSchema.optional(),
  alert_on: AlertOnSchema.optional().describe(
    'Development types that raise alerts; default ["status_change","new_fact"] (coverage is opt-in), for a topic ["coverage"].',
  ),
  aliases: AliasesSchema.optional(),
  participants: ParticipantsSchema.optional(),
  active: z.boolean().optional().describe("false pauses matching; default true."),
};

/** A storyline as POST /v1/storylines and storylines.json take it. */
export const StorylineInputSchema = z
  .strictObject({ id: StorylineIdSchema, ...storylineFields })
  .openapi("StorylineInput");

/** PATCH /v1/storylines/:id: any field but the id; null clears feeds (= all), aliases and participants. */
export const StorylinePatchSchema = z
  .strictObject({
    title: storylineFields.title.optional(),
    kind: StorylineKindSchema.optional(),
    query: QuerySchema.optional(),
    feeds: FeedIdsSchema.optional(),
    alert_on: AlertOnSchema.optional(),
    aliases: AliasesSchema.optional(),
    participants: ParticipantsSchema.optional(),
    active: z.boolean().optional(),
  })
  .refine((patch) => Object.keys(patch).length > 0, { message: "must change at least one field" })
  .openapi("StorylinePatch");

export const ConfiguredFeedSchema = z.strictObject({
  url: z.url({ protocol: /^https?$/ }).describe("RSS, Atom or JSON Feed URL."),
  title: z.string().trim().min(1).max(200).optional(),
});

/** storylines.json, bundled with the Worker: storylines (and feeds) declared as code. */
export const StorylinesFileSchema = z
  .strictObject({
    $schema: z.string().optional(),
    feeds: z.array(ConfiguredFeedSchema).optional().describe("Feeds registered on each tick if missing."),
    storylines: z.array(StorylineInputSchema),
  })
  .superRefine((file, ctx) => {
    const seen = new Set<string>();
    file.storylines.forEach((storyline, index) => {
      if (seen.has(storyline.id)) {
        ctx.addIssue({ code: "custom", path: ["storylines", index, "id"], message: `repeats id "${storyline.id}"` });
      }
      seen.add(storyline.id);
    });
  });

export type StorylineInput = z.infer<typeof StorylineInputSchema>;
export type StorylinePatch = z.infer<typeof StorylinePatchSchema>;
export type StorylinesFile = z.infer<typeof StorylinesFileSchema>;

/** The JSON Schema of storylines.json, as `npm run schema` writes it to schemas/storyline.schema.json. */
export function storylinesFileJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(StorylinesFileSchema, { io: "input", target: "draft-2020-12" }),
    title: "storywatch storylines",
    description:
      "Storylines (and feeds) declared as code in storylines.json; upserted on each cron tick and marked source: config.",
  };
}
