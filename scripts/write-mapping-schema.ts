// Writes dist/mapping.schema.json (referenced by the extension's jsonValidation contribution).
import { mkdirSync, writeFileSync } from 'node:fs';

import { mappingJsonSchema } from '../src/mapping/mapping-file';

mkdirSync('dist', { recursive: true });
writeFileSync('dist/mapping.schema.json', `${JSON.stringify(mappingJsonSchema(), null, 2)}\n`);
