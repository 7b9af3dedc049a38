/**
 * Words every surface shares, so the alert, the payload's readers, the pages, the Atom feed
 * and the demo say the same thing the same way.
 */

/** "1 outlet", "3 outlets": independent outlets (wire copies counted once), from `development.outlets`. */
export function outletCount(outlets: number): string {
  return `${outlets} ${outlets === 1 ? "outlet" : "outlets"}`;
}
