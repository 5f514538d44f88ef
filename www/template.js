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

  /**
   * parts: { csp, css, data (JSON text), wasm (base64 of gzip), glue, check,
   *          template, app, title }
   */
  function render(parts) {
    // Written in two pieces so that this file, itself embedded in a script element,
    // holds no closing tag.
    var endScript = '<' + '/script>\n';
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
      '<div id="app"><p class="boot">正在打开绩效自评……如果一直停留在此处，请在浏览器地址栏右侧切换到“极速模式”（Chromium 内核）后重新打开本文件。</p></div>\n' +
      '<script type="application/json" id="jixiao-data">' + embedJson(parts.data) + endScript +
      '<script id="jixiao-check">' + code(parts.check, 'check') + endScript +
      '<script type="application/octet-stream" id="jixiao-wasm">' + parts.wasm + endScript +
      '<script id="jixiao-glue">' + code(parts.glue, 'glue') + endScript +
      '<script id="jixiao-template">' + code(parts.template, 'template') + endScript +
      '<script id="jixiao-app">' + code(parts.app, 'app') + endScript +
      '</body>\n</html>\n';
  }

  var api = { render: render, embedJson: embedJson };
  if (typeof module !== 'undefined' && module.exports) {
    module.exports = api;
  } else {
    root.jixiaoTemplate = api;
  }
})(this);
