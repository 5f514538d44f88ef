/* Runs first, in any browser (ES3/5), right after the screen is parsed. A saved screen
 * (a snapshot, see www/app/snapshot.js) drawn from other data than this file now holds
 * (the file was altered) is never shown: the boot message replaces it. Without
 * WebAssembly, say what to do instead of leaving a page that never starts. */
(function () {
  var app = document.getElementById('app');

  function say(text) {
    app.innerHTML = '';
    app.className = '';
    app.removeAttribute('data-hash');
    app.removeAttribute('inert');
    var p = document.createElement('p');
    p.className = 'boot';
    p.appendChild(document.createTextNode(text));
    app.appendChild(p);
  }

  var hash = app.getAttribute('data-hash');
  if (hash) {
    var data = document.getElementById('jixiao-data');
    var T = window.jixiaoTemplate;
    if (!data || !T || T.hashText(data.text) !== hash) say(T ? T.BOOT : '正在打开绩效自评……');
  }
  if (typeof WebAssembly !== 'object' || typeof Promise === 'undefined') {
    say('当前浏览器模式不支持本工具（缺少 WebAssembly）。请切换到极速模式：在地址栏右侧的“闪电/e”图标处选择“极速模式”，' +
      '或改用 Chrome、Edge、360极速浏览器、奇安信可信浏览器等 Chromium 内核浏览器打开本文件。');
    window.jixiaoUnsupported = true;
  }
})();
