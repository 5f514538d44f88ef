/* The modules inside dist/jixiao.html must load in old Chromium cores (86+): valid
 * without reference types and multi-value, which they lack. wabt validates the unpacker
 * and the core (unpacked by the unpacker, as the page does) with exactly the features
 * Chromium 86 has. Usage: node old-chromium.js dist/jixiao.html */
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const template = require(path.join(__dirname, '../../www/template.js'));

function fail(message) {
  console.error('old-chromium: FAIL — ' + message);
  process.exit(1);
}

const html = fs.readFileSync(process.argv[2], 'utf8');
// The elements themselves (their lengths in digits), not the template's code that writes them.
const u = html.match(/<script type="application\/octet-stream" id="jixiao-unpack" data-length="(\d+)">([^<]*)</);
const w = html.match(/<script type="application\/octet-stream" id="jixiao-wasm" data-length="(\d+)" data-size="(\d+)"(?: data-example="\d+")?>([^<]*)</);
if (!u || !w) fail('no embedded unpacker or core found');
const unpacker = zlib.gunzipSync(Buffer.from(template.textToBytes(u[2], Number(u[1]))));
const packed = template.textToBytes(w[3], Number(w[1]));
const size = Number(w[2]);
const chromium86 = {
  mutable_globals: true, sat_float_to_int: true, sign_extension: true, bulk_memory: true,
  multi_value: false, reference_types: false, simd: false, threads: false, tail_call: false,
};

(async () => {
  const { instance } = await WebAssembly.instantiate(unpacker);
  let wasm;
  try {
    wasm = template.unpackCore(instance.exports, packed, size);
  } catch (err) {
    fail('the unpacker refused the embedded core: ' + err.message);
  }
  const wabt = await require('wabt')();
  for (const [name, bytes] of [['unpacker', unpacker], ['core', wasm]]) {
    try {
      wabt.readWasm(bytes, Object.assign({ readDebugNames: false }, chromium86)).validate();
    } catch (err) {
      fail(`the ${name} needs a feature Chromium 86 lacks: ${err}`);
    }
    console.log(`old-chromium: ok — ${name}, ${bytes.length} byte module, validates with Chromium 86's WebAssembly features`);
  }
})();
