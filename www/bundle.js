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
  'list', 'views', 'grid', 'findings', 'sheets', 'preview', 'layouts', 'snapshot', 'files', 'review', 'recovery', 'main'];
const sources = MODULES.map((name) => read(path.join(www, 'app', name + '.js'))).join('\n');

/* The page's script, wasm-bindgen's glue and the template are minified by terser (a
 * build tool from npm, in tests/e2e's packages): comments, indentation and long local
 * names cost the 1 MB file about 110 KB and the user nothing (the sources in www/ keep
 * them; a saved copy carries the minified text, the same program). ES2017 output: old
 * Chromium cores (86+) run it. Top-level names (`wasm_bindgen`, `jixiaoApp`,
 * `jixiaoTemplate`) and property names are kept. */
const { minify } = require(path.join(__dirname, '..', 'tests', 'e2e', 'node_modules', 'terser'));
async function small(js, name) {
  let out;
  try {
    out = await minify(js, { ecma: 2017, compress: { passes: 2 }, mangle: true });
  } catch (err) {
    console.error(`页面脚本 ${name} 有语法错误：${err.message}（第 ${err.line} 行）`);
    process.exit(1);
  }
  // terser joins '<' + '/style>' into one string: "</" before script or style is
  // written "<\/" (the same string or pattern) so that the element is not closed early.
  const code = out.code.replace(/<\/(script|style)/gi, '<\\/$1');
  // Still a program (checked, never run).
  new Function(code); // eslint-disable-line no-new-func
  return code;
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

(async () => {
  const wasm = fs.readFileSync(path.join(pkgDir, 'jixiao_bg.wasm'));
  // The example unit of the fresh app travels packed after the core in the same LZMA
  // stream (about 27 KB less than as JSON text); a saved copy carries its unit as JSON.
  const example = Buffer.from(JSON.stringify(JSON.parse(read(seedPath))), 'utf8');
  // The .lzma ("alone") format with a 4 MiB dictionary (more than the core's size, so
  // nothing is lost by it; the unpacker refuses streams that ask for more than 16 MiB).
  // pb=0 (no position bits): WebAssembly's code is not aligned to 4 bytes, and the
  // stream is 1.6 KB smaller than with the default pb=2.
  const packed = execFileSync('xz', ['--format=lzma', '--lzma1=preset=9e,dict=4MiB,lc=3,lp=0,pb=0', '--stdout'],
    { input: Buffer.concat([wasm, example]), maxBuffer: 64 << 20 });
  const unpacker = zlib.gzipSync(fs.readFileSync(unpackPath), { level: 9 });
  const parts = {
    title: '绩效自评',
    css: compactCss(read(path.join(www, 'app.css'))),
    data: JSON.stringify({ example: true, packed: true }),
    check: read(path.join(www, 'check.js')),
    unpack: template.bytesToText(unpacker),
    unpackLength: unpacker.length,
    wasm: template.bytesToText(packed),
    wasmLength: packed.length,
    wasmSize: wasm.length,
    exampleSize: example.length,
    glue: await small(read(path.join(pkgDir, 'jixiao.js')), 'glue'),
    template: await small(read(path.join(www, 'template.js')), 'template'),
    app: await small(sources, 'app'),
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
  if (Buffer.compare(Buffer.from(template.textToBytes(parts.wasm, packed.length)), packed) !== 0 ||
      Buffer.compare(Buffer.from(template.textToBytes(parts.unpack, unpacker.length)), unpacker) !== 0) {
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
})();
