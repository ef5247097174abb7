// The investigation, computed only from what the viewer received, through its JSON API: the
// way an on-call engineer works, from "how bad and since when" to "what changed".

const api = (viewerUrl) => async (path) => {
  const answer = await fetch(`${viewerUrl}/api/${path}`);
  if (!answer.ok) throw new Error(`viewer ${path}: HTTP ${answer.status}`);
  return answer.json();
};

const countBy = (items, keyOf) => {
  const counts = new Map();
  for (const item of items) {
    const key = keyOf(item);
    if (key !== undefined) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].sort((a, b) => b[1] - a[1]);
};

/** For each value of a dimension: how many requests, how many failed, what share of all failures. */
function breakdown(requests, failing, valueOf) {
  return countBy(requests, valueOf)
    .map(([value, total]) => {
      const failed = failing.filter((trace) => valueOf(trace) === value).length;
      return { value, total, failed, failureRate: failed / total, shareOfFailures: failing.length ? failed / failing.length : 0 };
    })
    .sort((a, b) => b.shareOfFailures - a.shareOfFailures || b.failureRate - a.failureRate);
}

/**
 * The value that explains the failures: the one whose requests fail most often, among those
 * holding a good share of the failures (a loaded machine adds a few timeouts everywhere).
 */
function suspect(rows) {
  const [best] = rows.filter((row) => row.shareOfFailures >= 0.3).sort((a, b) => b.failureRate - a.failureRate);
  return best;
}

export async function investigate(viewerUrl) {
  const get = api(viewerUrl);
  // Step 1: blast radius, over the requests users sent (traces whose root is the gateway).
  const { traces } = await get('traces?service=gateway&limit=1000000');
  // Users' requests only: health checks carry no user.
  const requests = traces.filter((trace) => trace.service === 'gateway' && trace.tags.userId).sort((a, b) => a.startMillis - b.startMillis);
  const failing = requests.filter((trace) => trace.status === 'error');
  const firstRequestMillis = requests[0]?.startMillis ?? 0;
  // Where most failures start, and which version of that service served them, judged on the
  // traces that reached every service (a callee's span may not have arrived for the others).
  const reachedAll = failing.filter((trace) => trace.services.length >= 3);
  const judged = reachedAll.length > 0 ? reachedAll : failing;
  const [originService] = countBy(judged, (trace) => trace.failure?.service)[0] ?? [];
  const [originVersion] = countBy(judged, (trace) => trace.versions[originService])[0] ?? [];
  // Since when: the first failure of that kind (a loaded machine may time out a request earlier).
  const sinceMillis = failing.find((trace) => trace.failure?.service === originService && trace.versions[originService] === originVersion)?.startMillis;
  const window = sinceMillis === undefined ? requests : requests.filter((trace) => trace.startMillis >= sinceMillis);
  const failingInWindow = window.filter((trace) => trace.status === 'error');
  const users = new Set(requests.map((trace) => trace.tags.userId));
  const failingUsers = new Set(failing.map((trace) => trace.tags.userId));
  const flagKeys = [...new Set(window.flatMap((trace) => Object.keys(trace.tags).filter((key) => key.startsWith('feature_flag.'))))].sort();
  const dimensions = {
    accountType: breakdown(window, failingInWindow, (trace) => trace.tags.accountType),
    region: breakdown(window, failingInWindow, (trace) => trace.tags.region),
  };
  for (const key of flagKeys) dimensions[key] = breakdown(window, failingInWindow, (trace) => (key in trace.tags ? String(trace.tags[key]) : undefined));
  const servedBy = {};
  for (const service of ['gateway', 'orders', 'pricing']) servedBy[service] = countBy(failing, (trace) => trace.versions[service]);
  const flagSuspects = flagKeys
    .map((key) => ({ key, row: dimensions[key].find((row) => row.value === 'true') }))
    .filter(({ row }) => row)
    .sort((a, b) => b.row.shareOfFailures - a.row.shareOfFailures || b.row.failureRate - a.row.failureRate);
  const accountType = suspect(dimensions.accountType);
  const flag = flagSuspects[0]?.row.shareOfFailures >= 0.3 ? flagSuspects[0] : undefined;
  const blast = {
    requests: requests.length,
    failed: failing.length,
    users: users.size,
    failingUsers: failingUsers.size,
    firstRequestMillis,
    sinceMillis,
    dimensions,
    servedBy,
  };

  // Step 2: metrics, before and since the first failure, by service and route.
  const before = sinceMillis === undefined ? { series: [] } : await get(`metrics?until=${Math.floor(sinceMillis)}`);
  const after = await get(sinceMillis === undefined ? 'metrics' : `metrics?since=${Math.floor(sinceMillis)}`);
  const metrics = after.series.map((series) => ({
    service: series.service,
    route: series.route,
    before: before.series.find((other) => other.service === series.service && other.route === series.route)?.totals,
    after: series.totals,
  }));

  // Step 4, fetched before step 3 because its call chain orders the services: one failing
  // request of the suspect subset, from the middle of the incident (the last requests may
  // still have had work in flight when the services stopped).
  const candidates = failing.filter((trace) => trace.services.length >= 3 &&
    (!accountType || trace.tags.accountType === accountType.value) && (!flag || String(trace.tags[flag.key]) === 'true'));
  const example = candidates[Math.floor(candidates.length / 2)] ?? failing.at(-1);
  const trace = example ? await get(`traces/${example.traceId}`) : undefined;

  // Step 3: logs by field: the error events, then the origin service's lines.
  const errors = (await get('logs?q=level:error&limit=1000000')).records;
  const errorEvents = countBy(errors, (record) => `${record.service}\u0000${record.body}`).map(([key, count]) => {
    const [service, event] = key.split('\u0000');
    return { service, event, count };
  });
  // The error closest to the origin: the origin service's own, else its nearest caller's.
  const chain = trace ? [...new Set(trace.spans.map((span) => span.service))] : [];
  const nearness = (entry) => (entry.service === originService ? chain.length + 1 : chain.indexOf(entry.service));
  const topError = [...errorEvents].sort((a, b) => nearness(b) - nearness(a) || b.count - a.count)[0];
  const topErrorQuery = topError ? `level:error AND service:${topError.service} AND event:${topError.event}` : 'level:error';
  const topErrorLines = topError ? (await get(`logs?q=${encodeURIComponent(topErrorQuery)}&limit=5`)).records : [];

  // Step 5: what changed.
  const { services: changes } = await get('changes');

  const originSpan = trace?.spans.find((span) => span.spanId === example.failure?.spanId);
  const found = {
    accountType: accountType?.value,
    flag: flag?.key.slice('feature_flag.'.length),
    service: originService,
    version: originVersion,
    // A caller giving up on the origin (its response never completed) is a stall, not an error.
    mode: originSpan ? (originSpan.status !== 'error' || originSpan.attributes['error.type'] === 'aborted' ? 'slow' : 'error') : undefined,
    traceId: example?.traceId,
  };
  return { blast, metrics, errorEvents, topErrorQuery, topErrorLines, trace, changes, found, accountTypeRow: accountType, flagRow: flag?.row, regionSuspect: suspect(dimensions.region) };
}
