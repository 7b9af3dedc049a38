import { createRoute, z } from "@hono/zod-openapi";
import { getConfig } from "../../config";
import { discoverFeed } from "../../feeds/discover";
import { opmlDocument } from "../../feeds/opml";
import { changeFeed, createFeed, getFeedWithHistory, importOpml, listFeedsNow, removeFeed } from "../../feeds/service";
import { decodeCursor, encodeCursor } from "../../lib/cursor";
import { NotFound } from "../../lib/errors";
import { removeInvisible } from "../../lib/fold";
import { FeedSchema, getFeed, listFeeds } from "../../store/feeds";
import { listItems } from "../../store/items";
import type { App } from "../app";
import { commonErrors, problemContent } from "../schemas";

const FeedDetailSchema = FeedSchema.extend({
  history: z
    .array(
      z.object({
        at: z.string(),
        event: z.enum(["url_changed", "redirect_not_followed"]),
        detail: z.string(),
      }),
    )
    .openapi({
      description:
        "Changes storywatch made to the feed, newest first: url_changed when a permanent redirect (301/308) was seen on 3 checks in a row",
    }),
}).openapi("FeedDetail");

/** A feed's own interval: at least the 5-minute floor of the cron tick, at most a day. */
const PollIntervalSchema = z
  .number()
  .int()
  .min(5)
  .max(1440)
  .nullable()
  .openapi({ description: "minutes between checks, 5–1440; null adapts to how often the feed publishes" });

/** A feed's own name: blank means none, but characters that draw nothing are not a name. */
const FeedTitleSchema = z
  .string()
  .max(300)
  .refine((title) => title.trim() === "" || removeInvisible(title).trim() !== "", {
    message: "has only invisible characters (zero-width or direction marks): write a title people can read",
  })
  .nullable()
  .optional();

const CreateFeedSchema = z
  .strictObject({
    url: z.string().min(1).max(2048).openapi({ example: "https://news.example/world/rss.xml" }),
    title: FeedTitleSchema,
    poll_interval_minutes: PollIntervalSchema.optional(),
  })
  .openapi("CreateFeed");

const PatchFeedSchema = z
  .strictObject({
    title: FeedTitleSchema,
    paused: z.boolean().optional().openapi({ description: "true pauses the feed; false resumes it (due at once)" }),
    poll_interval_minutes: PollIntervalSchema.optional(),
  })
  .openapi("PatchFeed");

const ItemSchema = z
  .object({
    id: z.string(),
    title: z.string().nullable().openapi({ description: "null once retention has pruned the text" }),
    url: z.string().nullable(),
    published_at: z.string().nullable(),
    summary: z.string().nullable(),
    first_seen_at: z.string(),
  })
  .openapi("Item");

const IdParams = z.object({ id: z.string().min(1) });

const createFeedRoute = createRoute({
  method: "post",
  path: "/v1/feeds",
  summary: "Watch a feed (RSS, Atom or JSON Feed); it is checked on the next tick",
  request: { body: { required: true, content: { "application/json": { schema: CreateFeedSchema } } } },
  responses: {
    201: { description: "Created", content: { "application/json": { schema: FeedSchema } } },
    409: { description: "Already watched; `existing` is that feed", content: problemContent },
    ...commonErrors,
  },
});

const listFeedsRoute = createRoute({
  method: "get",
  path: "/v1/feeds",
  summary: "Feeds with their health",
  responses: {
    200: {
      description: "All feeds",
      content: { "application/json": { schema: z.object({ feeds: z.array(FeedSchema) }) } },
    },
    ...commonErrors,
  },
});

const getFeedRoute = createRoute({
  method: "get",
  path: "/v1/feeds/{id}",
  summary: "One feed with its health and its history",
  request: { params: IdParams },
  responses: {
    200: { description: "The feed", content: { "application/json": { schema: FeedDetailSchema } } },
    404: { description: "No such feed", content: problemContent },
    ...commonErrors,
  },
});

const deleteFeedRoute = createRoute({
  method: "delete",
  path: "/v1/feeds/{id}",
  summary: "Stop watching a feed and forget its items",
  request: { params: IdParams },
  responses: {
    204: { description: "Deleted" },
    404: { description: "No such feed", content: problemContent },
    409: { description: "Declared in storylines.json: remove it there", content: problemContent },
    ...commonErrors,
  },
});

const patchFeedRoute = createRoute({
  method: "patch",
  path: "/v1/feeds/{id}",
  summary: "Pause or resume a feed, rename it, or set its own check interval",
  request: {
    params: IdParams,
    body: { required: true, content: { "application/json": { schema: PatchFeedSchema } } },
  },
  responses: {
    200: { description: "The feed", content: { "application/json": { schema: FeedSchema } } },
    404: { description: "No such feed", content: problemContent },
    409: { description: "Declared in storylines.json: change it there", content: problemContent },
    ...commonErrors,
  },
});

const discoverRoute = createRoute({
  method: "post",
  path: "/v1/feeds/discover",
  summary: 'Find the feed of a site (its <link rel="alternate">), or confirm an address is a feed; watches nothing',
  request: {
    body: {
      required: true,
      content: {
        "application/json": {
          schema: z.strictObject({ url: z.string().min(1).max(2048).openapi({ example: "https://news.example/" }) }),
        },
      },
    },
  },
  responses: {
    200: {
      description: "The feed to watch; `discovered` says it came from the page's links, `candidates` lists them all",
      content: {
        "application/json": {
          schema: z
            .object({
              url: z.string(),
              title: z.string().nullable(),
              discovered: z.boolean(),
              candidates: z.array(z.object({ url: z.string(), title: z.string().nullable(), type: z.string() })),
            })
            .openapi("FeedDiscovery"),
        },
      },
    },
    ...commonErrors,
  },
});

const OPML_TYPE = "text/x-opml";

const exportOpmlRoute = createRoute({
  method: "get",
  path: "/v1/feeds.opml",
  summary: "Every feed as an OPML 2.0 file, for any feed reader",
  responses: {
    200: { description: "OPML 2.0", content: { [OPML_TYPE]: { schema: z.string() } } },
    ...commonErrors,
  },
});

const importOpmlRoute = createRoute({
  method: "post",
  path: "/v1/feeds.opml",
  summary: "Watch every feed of an OPML file (as feed readers export it); one bad entry does not stop the rest",
  request: { body: { required: true, content: { [OPML_TYPE]: { schema: z.string() } } } },
  responses: {
    200: {
      description: "What was added, what was already watched, and what was refused and why",
      content: {
        "application/json": {
          schema: z
            .object({
              added: z.array(FeedSchema),
              existing: z.array(z.string()),
              refused: z.array(z.object({ url: z.string(), reason: z.string() })),
            })
            .openapi("OpmlImport"),
        },
      },
    },
    ...commonErrors,
  },
});

const itemsRoute = createRoute({
  method: "get",
  path: "/v1/feeds/{id}/items",
  summary: "The normalised items seen in a feed, newest first",
  request: {
    params: IdParams,
    query: z.object({
      limit: z.coerce.number().int().min(1).max(200).default(50),
      cursor: z.string().min(1).optional().openapi({ description: "next_cursor of the previous page" }),
    }),
  },
  responses: {
    200: {
      description: "One page of items",
      content: {
        "application/json": { schema: z.object({ items: z.array(ItemSchema), next_cursor: z.string().nullable() }) },
      },
    },
    404: { description: "No such feed", content: problemContent },
    ...commonErrors,
  },
});

export function registerFeedRoutes(app: App): void {
  app.openapi(createFeedRoute, async (c) => {
    const feed = await createFeed(c.env, c.req.valid("json"));
    c.header("location", `/v1/feeds/${feed.id}`);
    return c.json(feed, 201);
  });

  app.openapi(discoverRoute, async (c) => {
    const { url } = c.req.valid("json");
    return c.json(await discoverFeed(url, { allowPrivateNetwork: getConfig(c.env).allowPrivateNetwork }), 200);
  });

  app.openapi(exportOpmlRoute, async (c) => {
    const body = opmlDocument(await listFeeds(c.env.DB), new Date());
    return c.body(body, 200, {
      "content-type": `${OPML_TYPE}; charset=utf-8`,
      "content-disposition": 'attachment; filename="storywatch-feeds.opml"',
    });
  });

  app.openapi(importOpmlRoute, async (c) => c.json(await importOpml(c.env, await c.req.text()), 200));

  app.openapi(listFeedsRoute, async (c) => c.json({ feeds: await listFeedsNow(c.env) }, 200));

  app.openapi(getFeedRoute, async (c) => {
    const { id } = c.req.valid("param");
    const feed = await getFeedWithHistory(c.env, id);
    if (!feed) throw new NotFound("feed", id);
    return c.json(feed, 200);
  });

  app.openapi(patchFeedRoute, async (c) => {
    const { id } = c.req.valid("param");
    return c.json(await changeFeed(c.env, id, c.req.valid("json")), 200);
  });

  app.openapi(deleteFeedRoute, async (c) => {
    const { id } = c.req.valid("param");
    if (!(await removeFeed(c.env, id))) throw new NotFound("feed", id);
    return c.body(null, 204);
  });

  app.openapi(itemsRoute, async (c) => {
    const { id } = c.req.valid("param");
    const { limit, cursor } = c.req.valid("query");
    const after = cursor ? decodeCursor(cursor, "itm_") : null;
    const before = after && { publishedAt: after.at, id: after.id };
    if (!(await getFeed(c.env.DB, id))) throw new NotFound("feed", id);
    const rows = await listItems(c.env.DB, id, { limit: limit + 1, before });
    const page = rows.slice(0, limit);
    const last = page[page.length - 1];
    const nextCursor = rows.length > limit && last?.published_at ? encodeCursor(last.published_at, last.id) : null;
    return c.json(
      {
        items: page.map((row) => ({
          id: row.id,
          title: row.title,
          url: row.url,
          published_at: row.published_at,
          summary: row.summary,
          first_seen_at: row.first_seen_at,
        })),
        next_cursor: nextCursor,
      },
      200,
    );
  });
}
