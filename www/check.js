/* Runs first, in any browser (ES3/5): without WebAssembly, say what to do instead of
 * leaving a blank page. */
(function () {
  if (typeof WebAssembly !== 'object' || typeof Promise === 'undefined') {
    var app = document.getElementById('app');
    app.innerHTML = '';
    var p = document.createElement('p');
    p.className = 'boot';
    p.appendChild(document.createTextNode(
      '当前浏览器模式不支持本工具（缺少 WebAssembly）。请切换到极速模式：在地址栏右侧的“闪电/e”图标处选择“极速模式”，' +
      '或改用 Chrome、Edge、360极速浏览器、奇安信可信浏览器等 Chromium 内核浏览器打开本文件。'));
    app.appendChild(p);
    window.jixiaoUnsupported = true;
  }
})();
