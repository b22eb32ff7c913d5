// An independent Metadata API client for the simulated org's tests: jsforce (the
// JavaScript Salesforce library, written by no one on this project) lists and reads the
// External Client App's components the way any Salesforce tool would.
//
// Environment: SF_INSTANCE_URL, SF_ACCESS_TOKEN, SF_API_VERSION, SF_TYPES (comma-separated
// metadata types). Prints one JSON line to stdout:
//   {"list": {TYPE: [FileProperties…]}, "read": {TYPE: [record…]}}
// or, when jsforce throws, {"error": {"name", "errorCode", "message"}}.

import jsforce from 'jsforce';

const env = process.env;
const conn = new jsforce.Connection({
  instanceUrl: env.SF_INSTANCE_URL,
  accessToken: env.SF_ACCESS_TOKEN,
  version: env.SF_API_VERSION,
});
const types = (env.SF_TYPES ?? '').split(',').filter((t) => t.length > 0);

try {
  const out = { list: {}, read: {} };
  for (const type of types) {
    const listed = await conn.metadata.list([{ type }]);
    out.list[type] = listed;
    const names = listed.map((p) => p.fullName);
    out.read[type] = names.length > 0 ? await conn.metadata.read(type, names) : [];
  }
  console.log(JSON.stringify(out));
} catch (e) {
  console.log(JSON.stringify({ error: { name: e.name, errorCode: e.errorCode, message: e.message } }));
}
