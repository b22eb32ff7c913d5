// Salesforce's own source engine (@salesforce/source-deploy-retrieve, what `sf project
// deploy start` uses) resolves a folder the tool wrote: which metadata type and member
// each source file is, and what package.xml names. A wrong folder, suffix or root element
// makes a component unresolvable here, as it would in a deploy.
//
// Usage: node resolve-source.mjs DIR. Prints one JSON line:
//   {"source": [{type, fullName, xml}], "manifest": [{type, fullName}], "apiVersion"}
// or {"error": {"name", "message"}}.

import { ComponentSet } from '@salesforce/source-deploy-retrieve';

const dir = process.argv[2];
try {
  const fromSource = ComponentSet.fromSource(`${dir}/force-app`);
  const fromManifest = await ComponentSet.fromManifest({
    manifestPath: `${dir}/package.xml`,
    resolveSourcePaths: [`${dir}/force-app`],
  });
  const list = (set) => set.toArray().map((c) => ({ type: c.type.name, fullName: c.fullName, xml: c.xml ?? null }));
  console.log(JSON.stringify({
    source: list(fromSource),
    manifest: list(fromManifest),
    apiVersion: fromManifest.sourceApiVersion ?? fromManifest.apiVersion ?? null,
  }));
} catch (e) {
  console.log(JSON.stringify({ error: { name: e.name, message: e.message } }));
}
