// A program as a user of the published packages writes it. The pack smoke test copies this
// folder into a scratch project outside the workspace, installs the packed tarballs with npm and
// runs `node plan-example.mts gce.yaml`; it also type-checks these files against the shipped
// `.d.ts` (moduleResolution node16 and bundler). Prints one JSON document on stdout.
import { entryPointExports, planExampleCluster } from './entry-points.mts';

const specPath = process.argv[2];
if (specPath === undefined) throw new Error('usage: node plan-example.mts <spec.yaml>');
const planned = await planExampleCluster(specPath);
process.stdout.write(`${JSON.stringify({ exports: entryPointExports(), plan: planned })}\n`);
