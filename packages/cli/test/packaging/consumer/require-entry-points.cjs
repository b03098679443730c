// The same entry points from CommonJS: Node 22 `require()`s the ESM packages. Prints each entry
// point's export names and proves that a function works across two packages.
const entryPoints = [
  '@hakoc/certs',
  '@hakoc/core',
  '@hakoc/core/testing',
  '@hakoc/core/testing/contract',
  '@hakoc/provider-gce',
  '@hakoc/provider-gce/emulator',
  '@hakoc/provider-vagrant',
  '@hakoc/cli',
];

const exportsByEntryPoint = Object.fromEntries(
  entryPoints.map((name) => [name, Object.keys(require(name)).sort()]),
);
const { HakocError } = require('@hakoc/certs');
const { createOwner, isHakocError } = require('@hakoc/core');
const result = {
  exports: exportsByEntryPoint,
  ownerLabels: createOwner('smoke').labels,
  crossPackageError: isHakocError(new HakocError('HAKOC_SMOKE', 'from certs')),
};
process.stdout.write(`${JSON.stringify(result)}\n`);
