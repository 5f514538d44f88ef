/* The 7-bit text that carries the packed core inside dist/jixiao.html (www/template.js):
 * every byte string comes back exactly, the text never holds what would end its script
 * element or be changed by the HTML parser, it costs 8/7 of the data, and damaged text
 * is refused with a message. Also: the built file stays within the 1 MB goal.
 * Usage: node tests/e2e/embed.js dist/jixiao.html */
'use strict';
const fs = require('fs');
const path = require('path');
const t = require(path.join(__dirname, '../../www/template.js'));

let failed = 0;
function check(name, ok, detail) {
  if (!ok) failed++;
  console.log((ok ? '  ✓ ' : '  ✗ ') + name + (ok || !detail ? '' : '\n      ' + detail));
}

/** Deterministic bytes (xorshift32), so that a failure repeats. */
let state = 0x9e3779b9;
function randomBytes(n) {
  const out = Buffer.alloc(n);
  for (let i = 0; i < n; i++) {
    state ^= state << 13; state >>>= 0;
    state ^= state >>> 17;
    state ^= state << 5; state >>>= 0;
    out[i] = state & 255;
  }
  return out;
}

function roundTrips(bytes) {
  const text = t.bytesToText(bytes);
  const back = t.textToBytes(text, bytes.length);
  return Buffer.compare(Buffer.from(back), Buffer.from(bytes)) === 0 && !/[<\u0000\r]/.test(text);
}

console.log('内嵌数据编码（7 位文本）');
// Every length up to 64 with random bytes, and bytes chosen to hit the three unsafe
// groups at every bit offset, including as the very last group.
let all = true;
for (let len = 0; len <= 64; len++) {
  for (let k = 0; k < 20; k++) if (!roundTrips(randomBytes(len))) all = false;
  for (const fill of [0x00, 0x0d, 0x3c, 0x78, 0x1e, 0xff, 0x80]) {
    if (!roundTrips(Buffer.alloc(len, fill))) all = false;
  }
}
check('0–64 字节的随机数据和特殊字节：原样还原，文本中没有 < NUL CR', all);
const big = randomBytes(1 << 20);
const bigText = t.bytesToText(big);
check('1 MB 随机数据：原样还原', roundTrips(big));
const ratio = Buffer.byteLength(bigText, 'utf8') / big.length;
check('UTF-8 大小为数据的 8/7 = ' + ratio.toFixed(4), Math.abs(ratio - 8 / 7) < 0.001);
const lt = t.bytesToText(Buffer.from([0x3c, 0x3c, 0x3c]));
check('"<<<" 编码为 ' + JSON.stringify(lt), lt.indexOf('<') < 0 && t.textToBytes(lt, 3).join() === '60,60,60');

function refuses(text, length, expected) {
  try {
    t.textToBytes(text, length);
    return false;
  } catch (e) {
    return e.message.indexOf(expected) >= 0;
  }
}
check('截断的文本：报“内嵌数据不完整”', refuses(t.bytesToText(Buffer.from('abcdef')).slice(0, 3), 6, '内嵌数据不完整'));
check('被改动的文本（U+FFFD）：报第几个字符无效', refuses('ab\ufffdcd', 4, '第 3 个字符无效'));

const html = process.argv[2];
if (html) {
  const size = fs.statSync(html).size;
  check(`${html} 为 ${size.toLocaleString()} 字节 ≤ 1,000,000`, size <= 1000000);
}
console.log(failed ? `embed: ${failed} failed` : 'embed: all passed');
process.exit(failed ? 1 : 0);
