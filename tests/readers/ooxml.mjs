// The exported files against the ECMA-376 schemas, by the Open XML SDK's validator
// (@ooxml-tools/validate: the SDK compiled to WebAssembly), as Word 2010 and Microsoft
// 365 read them: every element in order, every attribute declared, every part known.
//
// Usage: node tests/readers/ooxml.mjs FILE.docx|FILE.xlsx …
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(path.resolve('tests/e2e/package.json'));
const { default: validate, getFileFormatFromName } = await import(require.resolve('@ooxml-tools/validate'));

let failed = 0;
for (const file of process.argv.slice(2)) {
  const bytes = new Uint8Array(fs.readFileSync(file));
  for (const version of ['Office2010', 'Microsoft365']) {
    const errors = await validate(bytes, getFileFormatFromName(file), version);
    const name = `${path.basename(file)}（${bytes.length} 字节）按 ${version} 的架构校验`;
    if (errors.length === 0) {
      console.log(`  ✓ ${name}：无错误`);
    } else {
      failed++;
      console.log(`  ✗ ${name}：${errors.length} 处错误`);
      for (const e of errors.slice(0, 8)) console.log(`      ${e.path.partUri} ${e.path.xpath}: ${e.description}`);
    }
  }
}
process.exit(failed ? 1 : 0);
