#!/usr/bin/env node
/* Builds dist/jixiao.html: the whole app in one file, from www/template.js.
 * Usage: node www/bundle.js <wasm-bindgen out dir> <seed unit JSON> <out.html>
 * Uses only Node's own modules (no npm packages). */
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');
const template = require('./template.js');

const [pkgDir, seedPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('用法：node www/bundle.js <wasm-bindgen 输出目录> <示例数据.json> <输出.html>');
  process.exit(2);
}
const www = __dirname;
const read = (p) => fs.readFileSync(p, 'utf8');

const wasm = fs.readFileSync(path.join(pkgDir, 'jixiao_bg.wasm'));
const gz = zlib.gzipSync(wasm, { level: 9 });
const parts = {
  title: '绩效自评',
  css: read(path.join(www, 'app.css')),
  data: JSON.stringify({ example: true, unit: JSON.parse(read(seedPath)) }),
  check: read(path.join(www, 'check.js')),
  wasm: gz.toString('base64'),
  glue: read(path.join(pkgDir, 'jixiao.js')),
  template: read(path.join(www, 'template.js')),
  app: read(path.join(www, 'app.js')),
};
const hash = (text) => "'sha256-" + crypto.createHash('sha256').update(text, 'utf8').digest('base64') + "'";
// Only what the page needs: its own inline scripts (by hash), WebAssembly
// ('wasm-unsafe-eval'; Chromium before 97 knows only 'unsafe-eval' for that), inline
// styles, data:/blob: images for the chart and downloads. No connection of any kind.
parts.csp = [
  "default-src 'none'",
  'script-src ' + [parts.check, parts.glue, parts.template, parts.app].map(hash).join(' ') +
    " 'wasm-unsafe-eval' 'unsafe-eval'",
  "style-src 'unsafe-inline'",
  'img-src data: blob:',
  "connect-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
].join('; ');

const html = template.render(parts);
fs.mkdirSync(path.dirname(outPath), { recursive: true });
fs.writeFileSync(outPath, html);
const kb = (n) => (n / 1024).toFixed(0) + ' KB';
console.log(`已生成 ${path.resolve(outPath)}`);
const size = Buffer.byteLength(html);
console.log(`大小 ${size.toLocaleString()} 字节（${kb(size)}；wasm ${kb(wasm.length)}，压缩后 ${kb(gz.length)}；目标 ≤ 1 MB）`);
