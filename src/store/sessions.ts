/** D1 access for console sessions: a row per signed-in browser, deleted on sign-out. */

export async function insertSession(
  db: D1Database,
  session: { id: string; createdAt: string; expiresAt: string },
): Promise<void> {
  await db.batch([
    // Expired sessions are dropped whenever someone signs in: the table stays small without a cron.
    db.prepare("DELETE FROM sessions WHERE expires_at <= ?1").bind(session.createdAt),
    db
      .prepare("INSERT INTO sessions (id, created_at, expires_at) VALUES (?1, ?2, ?3)")
      .bind(session.id, session.createdAt, session.expiresAt),
  ]);
}

/** True when the session exists and has not expired. */
export async function sessionIsLive(db: D1Database, id: string, now: string): Promise<boolean> {
  const row = await db
    .prepare("SELECT 1 AS live FROM sessions WHERE id = ?1 AND expires_at > ?2")
    .bind(id, now)
    .first();
  return row !== null;
}

export async function deleteSession(db: D1Database, id: string): Promise<void> {
  await db.prepare("DELETE FROM sessions WHERE id = ?").bind(id).run();
}
