// GraphQL-over-HTTP conformance audit of a running server, by graphql-http's auditServer.
//
//   node audit.mjs http://127.0.0.1:8080/graphql
//
// Prints one JSON line per audit ({ id, name, status, reason }), then a summary line on
// stderr. Exits 1 when any MUST audit is not `ok`, 2 on a usage or fatal error.

import { auditServer } from 'graphql-http';

const url = process.argv[2];
if (!url) {
  console.error('usage : node audit.mjs <url de /graphql>');
  process.exit(2);
}

let results;
try {
  results = await auditServer({ url });
} catch (error) {
  console.error(`audit interrompu : ${error?.stack ?? error}`);
  process.exit(2);
}

const failedMust = [];
const counts = { ok: 0, notice: 0, warn: 0, error: 0 };
for (const result of results) {
  counts[result.status] = (counts[result.status] ?? 0) + 1;
  const line = { id: result.id, name: result.name, status: result.status };
  if (result.status !== 'ok') {
    line.reason = result.reason;
    if (result.response) {
      line.httpStatus = result.response.status;
      line.contentType = result.response.headers.get('content-type');
    }
  }
  console.log(JSON.stringify(line));
  if (result.name.startsWith('MUST ') && result.status !== 'ok') {
    failedMust.push(`${result.id} ${result.name} : ${result.reason}`);
  }
}

const summary = Object.entries(counts)
  .map(([status, n]) => `${n} ${status}`)
  .join(', ');
console.error(`${results.length} audits : ${summary}`);
if (failedMust.length > 0) {
  console.error(`${failedMust.length} audit(s) MUST en échec :`);
  for (const failure of failedMust) console.error(`  - ${failure}`);
  process.exit(1);
}
