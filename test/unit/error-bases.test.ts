import assert from 'node:assert/strict';
import { test } from 'node:test';

import * as engineErrors from '../../src/engine/errors';
import * as targetBinding from '../../src/engine/target-binding';
import * as intercom from '../../src/intercom';
import * as ledger from '../../src/ledger';
import { MappingError } from '../../src/mapping/errors';
import * as mapEdits from '../../src/mapping/map-edits';
import * as mappingFile from '../../src/mapping/mapping-file';
import * as review from '../../src/mapping/review';
import * as source from '../../src/source';

type ErrorClass = abstract new (...args: never[]) => Error;

/** The error classes a module exports. */
function errorClasses(...modules: object[]): ErrorClass[] {
  return modules
    .flatMap((m) => Object.values(m) as unknown[])
    .filter((v): v is ErrorClass => typeof v === 'function' && (v.prototype as unknown) instanceof Error);
}

const LAYERS: [string, ErrorClass, ErrorClass[]][] = [
  ['source', source.SourceError, errorClasses(source)],
  ['mapping', MappingError, errorClasses(mapEdits, mappingFile, review)],
  ['ledger', ledger.LedgerError, errorClasses(ledger)],
  ['intercom', intercom.IntercomError, errorClasses(intercom)],
  ['engine', engineErrors.EngineError, errorClasses(engineErrors, targetBinding)],
];

for (const [layer, base, classes] of LAYERS) {
  test(`every error of src/${layer} extends ${base.name}, so a caller can test the layer's base`, () => {
    assert.ok(classes.length >= 3, `${layer}: its errors are found`);
    for (const cls of classes)
      assert.ok(cls === base || cls.prototype instanceof base, `${cls.name} extends ${base.name}`);
  });
}
