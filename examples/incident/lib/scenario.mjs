// Everything the seed decides: the users, and the bug the "deploy" plants. The services and the
// investigation never read the planted part directly; the services get only the code path
// their new version runs (see planted-bug.mjs), the investigation only the telemetry.

export const ACCOUNT_TYPES = ['free', 'pro', 'team', 'enterprise'];
export const REGIONS = ['eu-west', 'us-east', 'ap-south'];
export const FLAGS = ['new-pricing', 'bulk-discounts', 'express-checkout'];
/** Services that can be deployed with the bug (the gateway only forwards). */
export const BUGGY_SERVICES = ['orders', 'pricing'];
export const FAILURE_MODES = ['error', 'slow'];
export const USER_COUNT = 48;

/** mulberry32: a small seeded generator, so one seed always tells the same story. */
export function createRandom(seed) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const pick = (random, list) => list[Math.floor(random() * list.length)];

/** Users with an account type and a region; every account type has several users. */
export function createUsers(seed) {
  const random = createRandom(seed ^ 0x5eed);
  return Array.from({ length: USER_COUNT }, (_, index) => ({
    userId: `u-${String(index + 1).padStart(3, '0')}`,
    accountType: ACCOUNT_TYPES[index % ACCOUNT_TYPES.length],
    region: pick(random, REGIONS),
  }));
}

export function drawScenario(seed) {
  const random = createRandom(seed);
  const service = pick(random, BUGGY_SERVICES);
  const flag = pick(random, FLAGS);
  const backgroundFlag = pick(random, FLAGS.filter((name) => name !== flag));
  const versions = {
    gateway: `1.8.${Math.floor(random() * 10)}`,
    orders: `2.3.${Math.floor(random() * 10)}`,
    pricing: `1.12.${Math.floor(random() * 10)}`,
  };
  const [major, minor] = versions[service].split('.').map(Number);
  return {
    seed,
    users: createUsers(seed),
    versions,
    /** Already rolled out to 30% of users before the run, in orders and pricing: noise. */
    backgroundFlag,
    planted: {
      service,
      version: `${major}.${minor + 1}.0`,
      flag,
      /** Share of users the deploy turns the flag on for. */
      flagRollout: 50,
      accountType: pick(random, ACCOUNT_TYPES),
      mode: pick(random, FAILURE_MODES),
    },
  };
}
