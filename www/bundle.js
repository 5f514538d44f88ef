#!/usr/bin/env node
/* Builds dist/jixiao.html: the whole app in one file, from www/template.js.
 * Usage: node www/bundle.js <wasm-bindgen out dir> <unpacker .wasm> <seed unit JSON> <out.html>
 * Uses only Node's own modules (no npm packages) and xz (Debian's xz-utils) to pack the
 * core: LZMA makes it about a quarter smaller than gzip, which the 1 MB goal needs. The
 * page inflates it with the unpacker (examples/unpack.rs), itself gzipped. */
'use strict';
const fs = require('fs');
const path = require('path');
const zlib = require('zlib');
const crypto = require('crypto');
const template = require('./template.js');

const { execFileSync } = require('child_process');

const [pkgDir, unpackPath, seedPath, outPath] = process.argv.slice(2);
if (!outPath) {
  console.error('用法：node www/bundle.js <wasm-bindgen 输出目录> <解压模块.wasm> <示例数据.json> <输出.html>');
  process.exit(2);
}
const www = __dirname;
const read = (p) => fs.readFileSync(p, 'utf8');

/* The page's modules (www/app/), one concern each, in the order they load: each adds
 * its part to one namespace (window.jixiaoApp) and uses only the parts before it at
 * load time. They go into the one script element #jixiao-app, so that a saved copy
 * carries them unchanged. */
const MODULES = ['util', 'parse', 'engine', 'document', 'store', 'tabs', 'savers', 'page', 'shell',
  'list', 'views', 'grid', 'findings', 'sheets', 'preview', 'layouts', 'files', 'recovery', 'main'];
const app = MODULES.map((name) => stripComments(read(path.join(www, 'app', name + '.js')))).join('\n');
// The stripped text must still be the same program's syntax (checked, never run).
try {
  new Function(app); // eslint-disable-line no-new-func
} catch (err) {
  console.error('去掉注释后的页面脚本有语法错误：' + err.message);
  process.exit(1);
}

/* Whole-line comments and indentation cost the 1 MB file about 40 KB and the user
 * nothing: they are dropped from the page's modules (the sources in www/app/ keep them;
 * the modules have no template literals or multi-line strings, so a line is a line of
 * code or of comment). A comment after code on its line is kept. */
function stripComments(js) {
  const out = [];
  let inBlock = false;
  for (const line of js.split('\n')) {
    let t = line.trim();
    if (inBlock) {
      const end = t.indexOf('*/');
      if (end < 0) continue;
      inBlock = false;
      t = t.slice(end + 2).trim();
    } else if (t.startsWith('//')) {
      continue;
    } else if (t.startsWith('/*')) {
      const end = t.indexOf('*/', 2);
      if (end < 0) {
        inBlock = true;
        continue;
      }
      t = t.slice(end + 2).trim();
    }
    if (t) out.push(t);
  }
  return out.join('\n');
}

/* The style sheet without its comments, indentation and the spaces around its
 * punctuation (the space in a selector such as `.a .b` is kept: only spaces after
 * `{ } ; , :` and before `{ }` go; its one string, `" "`, has none of those). */
function compactCss(css) {
  return css.replace(/\/\*[\s\S]*?\*\//g, '')
    .split('\n').map((l) => l.trim()).filter(Boolean).join('\n')
    .replace(/([{};,:])\s+/g, '$1')
    .replace(/\s+([{}])/g, '$1')
    .replace(/;}/g, '}');
}

const wasm = fs.readFileSync(path.join(pkgDir, 'jixiao_bg.wasm'));
// The example unit of the fresh app travels packed after the core in the same LZMA
// stream (about 27 KB less than as JSON text); a saved copy carries its unit as JSON.
const example = Buffer.from(JSON.stringify(JSON.parse(read(seedPath))), 'utf8');
// The .lzma ("alone") format with a 4 MiB dictionary (more than the core's size, so
// nothing is lost by it; the unpacker refuses streams that ask for more than 16 MiB).
const packed = execFileSync('xz', ['--format=lzma', '--lzma1=preset=9e,dict=4MiB', '--stdout'],
  { input: Buffer.concat([wasm, example]), maxBuffer: 64 << 20 });
const unpacker = zlib.gzipSync(fs.readFileSync(unpackPath), { level: 9 });
const parts = {
  title: '绩效自评',
  css: compactCss(read(path.join(www, 'app.css'))),
  data: JSON.stringify({ example: true, packed: true }),
  check: read(path.join(www, 'check.js')),
  unpack: unpacker.toString('base64'),
  wasm: template.bytesToText(packed),
  wasmLength: packed.length,
  wasmSize: wasm.length,
  exampleSize: example.length,
  // wasm-bindgen's glue and the template lose their whole-line comments too (neither
  // has a multi-line string); together with the style sheet's, about 15 KB.
  glue: stripComments(read(path.join(pkgDir, 'jixiao.js'))),
  template: stripComments(read(path.join(www, 'template.js'))),
  app,
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

// The packed text must give back the packed core exactly (checked before anything is
// written, so that a failed build leaves no file behind).
if (Buffer.compare(Buffer.from(template.textToBytes(parts.wasm, packed.length)), packed) !== 0) {
  console.error('内嵌编码自检失败');
  process.exit(1);
}
const html = template.render(parts);
fs.mkdirSync(path.dirname(outPath), { recursive: true });
fs.writeFileSync(outPath, html);
const kb = (n) => (n / 1024).toFixed(0) + ' KB';
console.log(`已生成 ${path.resolve(outPath)}`);
const size = Buffer.byteLength(html);
console.log(`大小 ${size.toLocaleString()} 字节（${kb(size)}；计算核心 ${kb(wasm.length)}，LZMA 压缩后 ${kb(packed.length)}；` +
  `解压模块压缩后 ${kb(unpacker.length)}；目标 ≤ 1 MB）`);
