// Reads each OpenAPI document given as it would be read by the many tools built on @apidevtools/swagger-parser
// (client generators, mock servers): validated against the OpenAPI schema, then every $ref dereferenced.
// Prints one line per document and exits 1 when any of them cannot be read.
import SwaggerParser from '@apidevtools/swagger-parser';

const methods = new Set(['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace']);
let failed = 0;
for (const file of process.argv.slice(2)) {
  try {
    await SwaggerParser.validate(file);
    const api = await SwaggerParser.dereference(file);
    const operations = Object.values(api.paths ?? {})
      .reduce((count, item) => count + Object.keys(item).filter((key) => methods.has(key)).length, 0);
    console.log(`swagger-parser: ${file}: valid and dereferenced (${Object.keys(api.paths ?? {}).length} paths, ${operations} operations)`);
  } catch (error) {
    failed++;
    console.log(`swagger-parser: ${file}: ${error.message.replace(/\s*\n\s*/g, '; ')}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
