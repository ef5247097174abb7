// The bug the new version ships with. DEMO_BUG is set only on the deployed process; it says
// which requests reach the broken code path (one account type, with one flag on) and whether
// that path fails or stalls. Each service decides what "broken" looks like in its own code.
const bug = process.env.DEMO_BUG ? JSON.parse(process.env.DEMO_BUG) : undefined;

export const plantedBug = {
  /** Does this request take the new, broken code path? */
  hits: (accountType, flags) => Boolean(bug && accountType === bug.accountType && flags[bug.flag]),
  mode: bug?.mode,
};

/** How long the stalled path takes: longer than the caller waits (see the services' timeouts). */
export const STALL_MILLIS = 5000;

export const sleep = (millis) => new Promise((resolve) => setTimeout(resolve, millis));
