/** `npm run schema`: writes the schema the code defines to schema/schema.graphql (committed; CI checks drift). */
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { printSchemaFile } from './print-schema';

printSchemaFile()
  .then((text) => {
    const target = join(__dirname, '..', '..', '..', 'schema', 'schema.graphql');
    writeFileSync(target, text);
    console.log(`wrote ${target}`);
  })
  .catch((e) => {
    console.error(e);
    process.exit(1);
  });
