/* Jixiao page · savers: writing a file, the best way the browser allows, and saying
 * truthfully what happened.
 *
 * Where the browser has the File System Access API (Chromium 86+, also on file://) the
 * page writes the file itself — in place, once the user has picked it — and knows it
 * succeeded. Elsewhere it offers a download; the browser never tells a page whether a
 * download was kept, so such a save is “unconfirmed”, never “saved”. */
(function (J) {
  'use strict';

  var U = J.util;

  function canPick() {
    return typeof window.showSaveFilePicker === 'function';
  }

  /** Offers `data` (text, or bytes from the core) as a download. Throws (in Chinese)
   *  when the browser refuses to make one. */
  function download(data, name, type) {
    var url;
    try {
      url = URL.createObjectURL(new Blob([data], { type: type }));
    } catch (err) {
      throw new Error('浏览器没有生成下载文件（' + U.messageOf(err).replace(/[。.]$/, '') + '）');
    }
    var a = U.h('a', { href: url, download: name, hidden: true });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
  }

  function cancelled() {
    var err = new Error('已取消保存');
    err.cancelled = true;
    return err;
  }

  /** Write permission on a remembered file (asked once more after a reload). */
  function permitted(handle) {
    if (typeof handle.queryPermission !== 'function') return Promise.resolve(true);
    var mode = { mode: 'readwrite' };
    return handle.queryPermission(mode).then(function (state) {
      if (state === 'granted') return true;
      return handle.requestPermission(mode).then(function (asked) { return asked === 'granted'; });
    });
  }

  function writeTo(handle, data) {
    return handle.createWritable().then(function (stream) {
      return stream.write(new Blob([data])).then(function () { return stream.close(); });
    }).then(function () { return handle; });
  }

  /**
   * Saves `data`. spec: { name (suggested), type (MIME), ext ('.html'), description,
   * handle (a file picked before: written in place) }.
   * Resolves { how: 'written', handle, name } when the page wrote the file itself, or
   * { how: 'downloaded', name } when it could only offer a download. Rejects with
   * err.cancelled when the user cancelled the picker, or with the reason it failed.
   */
  function save(data, spec) {
    if (!canPick()) {
      try {
        download(data, spec.name, spec.type);
      } catch (err) {
        return Promise.reject(err);
      }
      return Promise.resolve({ how: 'downloaded', name: spec.name });
    }
    var pick = spec.handle
      ? permitted(spec.handle).then(function (ok) {
        if (!ok) throw new Error('没有得到写入“' + spec.handle.name + '”的许可');
        return spec.handle;
      })
      : Promise.resolve().then(function () {
        var accept = {};
        accept[spec.type.split(';')[0]] = [spec.ext];
        return window.showSaveFilePicker({
          suggestedName: spec.name,
          types: [{ description: spec.description, accept: accept }]
        });
      });
    return pick.then(function (handle) {
      return writeTo(handle, data);
    }, function (err) {
      if (err && err.name === 'AbortError') throw cancelled();
      // The picker is refused here (a policy, a sandbox): offer the download instead.
      if (err && err.name === 'SecurityError' && !spec.handle) {
        download(data, spec.name, spec.type);
        return null;
      }
      throw err;
    }).then(function (handle) {
      if (!handle) return { how: 'downloaded', name: spec.name };
      return { how: 'written', handle: handle, name: handle.name };
    }, function (err) {
      if (err && err.cancelled) throw err;
      if (err && err.name === 'AbortError') throw cancelled();
      throw new Error('写入文件失败（' + (WRITE_ERRORS[err && err.name] || U.reasonOf(err)) + '）');
    });
  }

  /** What the browser's file errors mean, in the user's words. */
  var WRITE_ERRORS = {
    NotAllowedError: '没有写入这个文件的许可',
    NoModificationAllowedError: '文件是只读的，或正被其他程序（如 WPS、Word）占用',
    QuotaExceededError: '磁盘空间不足',
    InvalidStateError: '文件在保存期间被其他程序改动或移走',
    NotFoundError: '文件已被移走或删除'
  };

  J.savers = { canPick: canPick, save: save, download: download };
})(window.jixiaoApp = window.jixiaoApp || {});
