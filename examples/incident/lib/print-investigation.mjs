// Prints the investigation, one step per question, the way it would be read during an incident.

const percent = (share) => `${(share * 100).toFixed(share > 0 && share < 0.1 ? 1 : 0)}%`;
const millis = (value) => (value === null || value === undefined ? '-' : `${Math.round(value)} ms`);
const seconds = (value) => `${value < 0 ? '-' : '+'}${(Math.abs(value) / 1000).toFixed(1)}s`;
const pad = (text, width) => String(text).padEnd(width);

function heading(number, question) {
  console.log(`\n${number}. ${question}`);
}

function printBreakdown(name, rows) {
  const text = rows.map((row) => `${row.value} ${percent(row.failureRate)} (${row.failed}/${row.total})`).join(', ');
  console.log(`   ${pad(name, 26)} failure rate by value: ${text}`);
}

function printTree(trace) {
  const children = new Map();
  const ids = new Set(trace.spans.map((span) => span.spanId));
  for (const span of trace.spans) {
    const parent = ids.has(span.parentSpanId) ? span.parentSpanId : '';
    children.set(parent, [...(children.get(parent) ?? []), span]);
  }
  const logsBySpan = new Map();
  for (const record of trace.logs) logsBySpan.set(record.spanId, [...(logsBySpan.get(record.spanId) ?? []), record]);
  const start = trace.summary.startMillis;
  const print = (parentId, depth) => {
    for (const span of children.get(parentId) ?? []) {
      const status = span.status === 'error' ? `  ERROR ${span.statusMessage || span.attributes['error.type'] || ''}` : '';
      console.log(`   ${'  '.repeat(depth)}${span.service} ${span.version}: ${span.name}  ${seconds(span.startMillis - start).replace('+', '@')} ${millis(span.durationMillis)}${status}`);
      for (const record of logsBySpan.get(span.spanId) ?? []) {
        const message = record.attributes['error.message'] ? `  ${record.attributes['error.message']}` : '';
        console.log(`   ${'  '.repeat(depth + 1)}log ${record.level} ${record.body}${message}  request_id=${record.requestId}`);
      }
      print(span.spanId, depth + 1);
    }
  };
  print('', 0);
}

export function printInvestigation(findings, viewerUrl) {
  const { blast, found } = findings;
  const since = blast.sinceMillis === undefined ? 'never' : `${seconds(blast.sinceMillis - blast.firstRequestMillis)} after the first request (${new Date(blast.sinceMillis).toISOString().slice(11, 19)} UTC)`;
  console.log('\n=== The investigation (computed from what the viewer received) ===');

  heading(1, 'How bad is it, and since when? (blast radius)');
  console.log(`   ${blast.failed} of ${blast.requests} requests failed (${percent(blast.failed / Math.max(1, blast.requests))}), from ${blast.failingUsers} of ${blast.users} users; since ${since}`);
  console.log('   since the first failure:');
  for (const [name, rows] of Object.entries(blast.dimensions)) printBreakdown(name, rows);
  for (const [service, versions] of Object.entries(blast.servedBy)) {
    console.log(`   failing requests served by ${pad(service, 8)} ${versions.map(([version, count]) => `${version} (${count})`).join(', ')}`);
  }

  heading(2, 'Which service and route? (metrics: error rate and p95/p99, before -> since the first failure)');
  console.log(`   ${pad('service', 9)}${pad('route', 14)}${pad('requests', 11)}${pad('error rate', 16)}${pad('p95', 20)}p99`);
  for (const row of findings.metrics) {
    const b = row.before ?? {};
    console.log(`   ${pad(row.service, 9)}${pad(row.route, 14)}${pad(row.after.requests, 11)}${pad(`${percent(b.errorRate ?? 0)} -> ${percent(row.after.errorRate)}`, 16)}${pad(`${millis(b.p95)} -> ${millis(row.after.p95)}`, 20)}${millis(b.p99)} -> ${millis(row.after.p99)}`);
  }

  heading(3, 'What do the errors say? (logs by field)');
  for (const entry of findings.errorEvents.slice(0, 5)) console.log(`   ${pad(entry.count, 6)} ${pad(entry.service, 8)} ${entry.event}`);
  console.log(`   ${findings.topErrorQuery}`);
  for (const record of findings.topErrorLines) {
    console.log(`     ${new Date(record.timeMillis).toISOString().slice(11, 23)} request_id=${record.requestId} trace_id=${record.traceId} accountType=${record.attributes.accountType} ${record.attributes['error.message'] ?? record.attributes.reason ?? ''}`);
  }

  heading(4, 'Where in the call chain? (one failing request\'s trace, with its log lines)');
  if (findings.trace) {
    console.log(`   trace ${findings.trace.summary.traceId}  request_id=${findings.trace.summary.requestId}  ${viewerUrl}/#/trace/${findings.trace.summary.traceId}`);
    printTree(findings.trace);
  }

  heading(5, 'What changed? (versions and flags over time, per service)');
  for (const service of findings.changes) {
    const versions = service.versions.map((entry) => `${entry.version} from ${seconds(entry.firstMillis - blast.firstRequestMillis)}`).join(', ');
    const flags = service.flags.filter((entry) => entry.value === 'true').map((entry) => `${entry.flag} on from ${seconds(entry.firstMillis - blast.firstRequestMillis)}`).join(', ');
    console.log(`   ${pad(service.service, 8)} versions: ${versions}${flags ? `; flags: ${flags}` : ''}`);
  }

  heading(6, 'What does the data support? (hypothesis)');
  if (!found.service) console.log('   nothing failed');
  else {
    const how = found.mode === 'slow' ? 'stall until the caller gives up' : 'fail';
    console.log(`   Since ${found.service} ${found.version} started serving, requests from ${found.accountType ?? 'all'} accounts` +
      `${found.flag ? ` with ${found.flag} on` : ''} ${how} in ${found.service}.`);
    if (findings.accountTypeRow) console.log(`   ${percent(findings.accountTypeRow.shareOfFailures)} of failures are ${found.accountType} accounts; ${percent(findings.accountTypeRow.failureRate)} of their requests fail.`);
    if (findings.flagRow) console.log(`   ${percent(findings.flagRow.shareOfFailures)} of failures have ${found.flag} on.`);
    const region = findings.regionSuspect;
    if (region && region.shareOfFailures >= 0.95) console.log(`   All failures are also in ${region.value}: region is a second suspect.`);
    else console.log(`   Region does not explain it: the most common, ${region?.value ?? '-'}, holds ${percent(region?.shareOfFailures ?? 0)} of failures.`);
  }
}

export function printPlanted(planted, found) {
  console.log('\n=== What was planted ===');
  for (const key of ['accountType', 'flag', 'service', 'version', 'mode']) {
    const mark = planted[key] === found[key] ? 'found' : `MISSED (found ${found[key] ?? 'nothing'})`;
    console.log(`   ${pad(key, 12)} ${pad(planted[key], 18)} ${mark}`);
  }
}
