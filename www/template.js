/* The one template of the single-file app. The build (www/bundle.js, in Node) and the
 * page's own "save as HTML" both render the whole file from it, so a saved copy is the
 * same app with other data. Data comes before code; "<" inside the embedded JSON is
 * written as \u003C so no text can close the script tag. ES5 on purpose: it also runs
 * in old browser cores. */
(function (root) {
  'use strict';

  /** JSON text safe inside a script element: no "<" can start a closing tag or a comment. */
  function embedJson(text) {
    return String(text)
      .replace(/</g, '\\u003C')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
  }

  /** Content of a code block, refusing anything that would end the block early. */
  function code(text, name) {
    if (/<\/(script|style)/i.test(text) || /<!-{2}/.test(text)) {
      throw new Error('内嵌代码 ' + name + ' 含有结束标记或注释开头，无法安全内嵌');
    }
    return text;
  }

  /* Binary data as text, 7 bits a character (base64 carries 6): the packed core is most
   * of the file. Every 7-bit group is written as that ASCII character, except the three
   * an HTML parser would not hand back unchanged inside a script element (NUL, CR) or
   * that could start a closing tag or comment ("<"); such a group and the group after
   * it become one character U+0100 + 128 × (index in UNSAFE) + next, which UTF-8 writes
   * in two bytes, so the text is 8/7 of the data in bytes. The byte length is kept
   * beside it (data-length); the bits after the last byte are zero. */
  var UNSAFE = [0x00, 0x0d, 0x3c];

  /** bytes (Uint8Array or Buffer) → text. */
  function bytesToText(bytes) {
    var out = [], chunk = '', acc = 0, bits = 0, pending = -1;
    function group(v) {
      if (pending >= 0) {
        chunk += String.fromCharCode(0x100 + 128 * pending + v);
        pending = -1;
      } else if (UNSAFE.indexOf(v) >= 0) {
        pending = UNSAFE.indexOf(v);
      } else {
        chunk += String.fromCharCode(v);
      }
      if (chunk.length >= 8192) { out.push(chunk); chunk = ''; }
    }
    for (var i = 0; i < bytes.length; i++) {
      acc = (acc << 8) | bytes[i];
      bits += 8;
      while (bits >= 7) {
        bits -= 7;
        group((acc >> bits) & 127);
      }
      acc &= (1 << bits) - 1;
    }
    if (bits > 0) group((acc << (7 - bits)) & 127);
    if (pending >= 0) group(0);
    out.push(chunk);
    return out.join('');
  }

  /** text → the first `length` bytes it carries; throws when the text is too short or
   *  holds a character no encoder writes (an altered or damaged file). */
  function textToBytes(text, length) {
    var bytes = new Uint8Array(length), n = 0, acc = 0, bits = 0;
    function group(v) {
      acc = ((acc << 7) | v) & 0x7fff;
      bits += 7;
      if (bits >= 8) {
        bits -= 8;
        if (n < length) bytes[n++] = (acc >> bits) & 255;
      }
    }
    for (var i = 0; i < text.length && n < length; i++) {
      var c = text.charCodeAt(i);
      if (c < 128) {
        group(c);
      } else if (c >= 0x100 && c < 0x100 + 128 * UNSAFE.length) {
        group(UNSAFE[(c - 0x100) >> 7]);
        group((c - 0x100) & 127);
      } else {
        throw new Error('内嵌数据第 ' + (i + 1) + ' 个字符无效');
      }
    }
    if (n < length) throw new Error('内嵌数据不完整（' + n + ' / ' + length + ' 字节）');
    return bytes;
  }

  /** The core, inflated from its LZMA bytes by the unpacker module's instance exports
   *  (examples/unpack.rs): the packed bytes are copied into the unpacker's memory and
   *  the `size` bytes of the core out of it. Throws when the data does not unpack. */
  function unpackCore(unpacker, packed, size) {
    var at = unpacker.buffer(packed.length);
    new Uint8Array(unpacker.memory.buffer, at, packed.length).set(packed);
    var out = unpacker.unpack(at, packed.length, size); // grows (detaches) its memory
    if (!out) throw new Error('内嵌计算核心已损坏');
    return new Uint8Array(unpacker.memory.buffer, out, size).slice();
  }

  /** The packed core's (or unpacker's) text, refusing what would end the block early
   *  (only an altered copy could hold it). */
  function packed(text) {
    if (/[<\u0000\r]/.test(text)) throw new Error('内嵌计算核心含有无效字符');
    return text;
  }


  /** A short fingerprint of a text (31-multiplier hash, as 8 hex digits): ties a saved
   *  snapshot of the screen to the very data it was drawn from. ES3: check.js uses it. */
  function hashText(text) {
    var h = 0;
    for (var i = 0; i < text.length; i++) h = (h * 31 + text.charCodeAt(i)) | 0;
    return ('0000000' + (h >>> 0).toString(16)).slice(-8);
  }

  var BOOT = '正在打开绩效自评……如果一直停留在此处，请在浏览器地址栏右侧切换到“极速模式”（Chromium 内核）后重新打开本文件。';

  /** The screen shown while the page starts. With a snapshot (the screen as saved, from
   *  www/app/snapshot.js): it, tied to the data by hashText, and a note that the page is
   *  starting (an old browser mode gets check.js's own message); check.js replaces it with the boot message when the data is not what it
   *  was drawn from. */
  function screen(snapshot, dataText) {
    if (!snapshot) return '<div id="app"><p class="boot">' + BOOT + '</p></div>\n';
    return '<div id="app" class="snapshot" data-hash="' + hashText(dataText) + '" inert>' +
      code(snapshot, 'snapshot') + '<p class="boot-note" data-testid="boot-note">正在启动计算……</p></div>\n';
  }

  /**
   * parts: { csp, css, data (JSON text), wasm (bytesToText of the LZMA-packed core),
   *          wasmLength (its byte length), wasmSize (the core's size unpacked),
   *          exampleSize (the fresh app only: the example unit's JSON, packed after the
   *          core; its data then says `packed` instead of holding the unit),
   *          unpack (bytesToText of the gzipped unpacker), unpackLength (its byte length),
   *          glue, check, template, app, title,
   *          snapshot (optional: the screen's HTML, drawn before the core has started) }
   * Order: the data, the screen, the template (check.js uses its hashText), the check,
   * the packed core, the code.
   */
  function render(parts) {
    // Written in two pieces so that this file, itself embedded in a script element,
    // holds no closing tag.
    var endScript = '<' + '/script>\n';
    var data = embedJson(parts.data);
    return '<!DOCTYPE html>\n' +
      '<html lang="zh-CN">\n<head>\n<meta charset="utf-8">\n' +
      '<meta http-equiv="Content-Security-Policy" content="' + parts.csp + '">\n' +
      '<meta name="viewport" content="width=device-width, initial-scale=1">\n' +
      '<meta name="generator" content="jixiao">\n' +
      '<title>' + parts.title.replace(/[<&"]/g, function (c) {
        return { '<': '&lt;', '&': '&amp;', '"': '&quot;' }[c];
      }) + '</title>\n' +
      '<style id="jixiao-css">' + code(parts.css, 'css') + '<' + '/style>\n' +
      '</head>\n<body>\n' +
      '<script type="application/json" id="jixiao-data">' + data + endScript +
      screen(parts.snapshot, data) +
      '<script id="jixiao-template">' + code(parts.template, 'template') + endScript +
      '<script id="jixiao-check">' + code(parts.check, 'check') + endScript +
      '<script type="application/octet-stream" id="jixiao-unpack" data-length="' + Number(parts.unpackLength || 0) + '">' +
        packed(parts.unpack) + endScript +
      '<script type="application/octet-stream" id="jixiao-wasm" data-length="' +
        Number(parts.wasmLength) + '" data-size="' + Number(parts.wasmSize) +
        (parts.exampleSize ? '" data-example="' + Number(parts.exampleSize) : '') + '">' +
        packed(parts.wasm) + endScript +
      '<script id="jixiao-glue">' + code(parts.glue, 'glue') + endScript +
      '<script id="jixiao-app">' + code(parts.app, 'app') + endScript +
      '</body>\n</html>\n';
  }

  var api = {
    render: render, embedJson: embedJson, hashText: hashText, BOOT: BOOT, bytesToText: bytesToText, textToBytes: textToBytes,
    unpackCore: unpackCore
  };
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else {
    root.jixiaoTemplate = api;
  }
})(this);
