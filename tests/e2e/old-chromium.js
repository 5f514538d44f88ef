/* The module inside dist/jixiao.html must load in old Chromium cores (86+): valid
 * without reference types and multi-value, which they lack. wabt validates it with
 * exactly the features Chromium 86 has. Usage: node old-chromium.js dist/jixiao.html */
'use strict';
const fs = require('fs');
const zlib = require('zlib');

const html = fs.readFileSync(process.argv[2], 'utf8');
const m = html.match(/<script type="application\/octet-stream" id="jixiao-wasm">([^<]*)</);
if (!m) {
  console.error('old-chromium: no embedded wasm found');
  process.exit(1);
}
const wasm = zlib.gunzipSync(Buffer.from(m[1], 'base64'));
const chromium86 = {
  mutable_globals: true, sat_float_to_int: true, sign_extension: true, bulk_memory: true,
  multi_value: false, reference_types: false, simd: false, threads: false, tail_call: false,
};
require('wabt')().then((wabt) => {
  try {
    wabt.readWasm(wasm, Object.assign({ readDebugNames: false }, chromium86)).validate();
  } catch (e) {
    console.error('old-chromium: FAIL — the module needs a feature Chromium 86 lacks: ' + e);
    process.exit(1);
  }
  console.log(`old-chromium: ok — ${wasm.length} byte module validates with Chromium 86's WebAssembly features`);
});
