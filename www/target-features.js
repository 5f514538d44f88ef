#!/usr/bin/env node
/* Old browser cores (Chromium 86–95) have no WebAssembly reference types. rustc enables
 * them by default and records that in the module's `target_features` section; from that
 * record wasm-bindgen decides to keep JS objects in an externref table, which those
 * cores cannot instantiate. Our Rust code never uses reference types, so we drop the
 * record before wasm-bindgen runs and it keeps them in a plain JS array instead.
 * Usage: node www/target-features.js <in.wasm> <out.wasm> [feature …] */
'use strict';
const fs = require('fs');

const [input, output, ...drop] = process.argv.slice(2);
const dropped = new Set(drop.length ? drop : ['reference-types']);
const bytes = fs.readFileSync(input);

function uleb(buf, pos) {
  let value = 0;
  let shift = 0;
  for (;;) {
    const b = buf[pos++];
    value += (b & 0x7f) * 2 ** shift;
    shift += 7;
    if (b < 0x80) return [value, pos];
  }
}
function encodeUleb(n) {
  const out = [];
  do {
    let b = n % 128;
    n = Math.floor(n / 128);
    if (n > 0) b |= 0x80;
    out.push(b);
  } while (n > 0);
  return Buffer.from(out);
}
function str(s) {
  const b = Buffer.from(s, 'utf8');
  return Buffer.concat([encodeUleb(b.length), b]);
}

const parts = [bytes.subarray(0, 8)];
let pos = 8;
let removed = [];
while (pos < bytes.length) {
  const id = bytes[pos];
  const [size, start] = uleb(bytes, pos + 1);
  const end = start + size;
  let section = bytes.subarray(pos, end);
  if (id === 0) {
    const [nameLen, nameStart] = uleb(bytes, start);
    const name = bytes.toString('utf8', nameStart, nameStart + nameLen);
    if (name === 'target_features') {
      let p = nameStart + nameLen;
      let count;
      [count, p] = uleb(bytes, p);
      const kept = [];
      for (let i = 0; i < count; i++) {
        const prefix = bytes[p];
        let len;
        [len, p] = uleb(bytes, p + 1);
        const feature = bytes.toString('utf8', p, p + len);
        p += len;
        if (dropped.has(feature)) removed.push(feature);
        else kept.push(Buffer.concat([Buffer.from([prefix]), str(feature)]));
      }
      const body = Buffer.concat([str(name), encodeUleb(kept.length), ...kept]);
      section = Buffer.concat([Buffer.from([0]), encodeUleb(body.length), body]);
    }
  }
  parts.push(section);
  pos = end;
}
fs.writeFileSync(output, Buffer.concat(parts));
console.log(removed.length ? `已去除目标特性记录：${removed.join('、')}` : '无需修改目标特性记录');
