// A stand-in for a feature-flag service: FEATURE_FLAGS='{"new-pricing":50}' rolls a flag out
// to that percentage of users, the same users every time (a hash of flag and user).
import { createHash } from 'node:crypto';
import { recordFeatureFlag } from '@threadline/node';

const rollout = JSON.parse(process.env.FEATURE_FLAGS ?? '{}');

function bucketOf(flag, userId) {
  return createHash('sha1').update(`${flag}:${userId}`).digest().readUInt16BE(0) % 100;
}

/** Evaluates every flag for this user and records each on the request's telemetry. */
export function evaluateFlags(userId) {
  const flags = {};
  for (const [flag, percent] of Object.entries(rollout)) {
    flags[flag] = bucketOf(flag, userId) < percent;
    recordFeatureFlag(flag, flags[flag]);
  }
  return flags;
}
