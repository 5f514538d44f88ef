/* Jixiao page · engine: starts the Rust core (unpacks it, compiles it) and calls it
 * through one guard. The core's functions are J.core.<name> once started. */
(function (J) {
  'use strict';
  /* global wasm_bindgen */ // the core's glue (wasm-bindgen, no-modules): a script-level binding

  var U = J.util;

  /** Every function of the binding the page calls; each goes through the guard. */
  var CORE_FUNCTIONS = ['blankUnit', 'checkProfile', 'evaluate', 'exportDocx', 'exportXlsx', 'fileStem', 'fromJson',
    'loadFile', 'loadFileWith', 'profileWithLabels', 'profiles', 'report', 'reviewAdd', 'reviewClear', 'reviewResult',
    'reviewXlsx', 'sessionEdit', 'sessionLoad', 'toJson', 'vocabulary'];

  var engine = {
    dead: false, // the core trapped (a Rust panic): its instance is not used again
    onCrash: null // set by the page: function (err, name), called once on the first trap
  };


  function gunzip(bytes) {
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip'));
    return new Response(stream).arrayBuffer();
  }

  function damagedError(message) {
    var err = new Error(message);
    err.damaged = true;
    return err;
  }

  /** The page cannot start. `damaged`: the file itself is (its embedded core does not
   *  decode), so another browser would not help. */
  function fatal(message, damaged) {
    var app = U.takeApp();
    app.appendChild(U.h('div', { class: 'boot fatal', 'data-testid': 'fatal' }, [
      U.h('p', { text: message }),
      U.h('p', {
        text: damaged
          ? '本文件已损坏（可能在传输或编辑中被改动），请重新获取原文件。曾在本浏览器中填写的数据仍在，用完好的文件打开后会提示恢复。'
          : '请切换到极速模式，或改用较新版本的 Chrome、Edge、360极速浏览器、奇安信可信浏览器等 Chromium 内核浏览器打开本文件。'
      })
    ]));
  }

  /** The core's functions, each called through one wrapper. The Rust build aborts on a
   *  panic, which reaches JavaScript as a WebAssembly.RuntimeError ('unreachable') from
   *  the call; after that the instance's memory may be inconsistent, so it is never
   *  called again: engine.onCrash tells the page (which keeps the unit: it lives in
   *  JavaScript). The binding's function is looked up at each call (the tests replace
   *  one to simulate a trap). */
  function guardCore() {
    var guarded = {};
    CORE_FUNCTIONS.forEach(function (name) {
      guarded[name] = function () {
        if (engine.dead) throw deadCoreError();
        try {
          return wasm_bindgen[name].apply(null, arguments);
        } catch (err) {
          if (isTrap(err)) {
            crashed(err, name);
            throw deadCoreError();
          }
          throw err;
        }
      };
    });
    return guarded;
  }

  function isTrap(err) {
    return typeof WebAssembly === 'object' && typeof WebAssembly.RuntimeError === 'function' &&
      err instanceof WebAssembly.RuntimeError;
  }

  function deadCoreError() {
    var err = new Error('计算核心发生内部错误，已停止计算');
    err.coreDead = true;
    return err;
  }

  function crashed(err, name) {
    if (engine.dead) return;
    engine.dead = true;
    if (window.console) console.error('core trapped in ' + name, err);
    if (engine.onCrash) engine.onCrash(err, name);
  }

  /** Unpacks and compiles the core; resolves once J.core can be called. On failure the
   *  page says why in Chinese (fatal) and the promise rejects. */
  engine.start = function () {
    var packed, unpacker, size, exampleSize;
    try {
      if (typeof wasm_bindgen !== 'function') throw new Error('计算核心缺失');
      if (typeof DecompressionStream === 'undefined') throw new Error('浏览器版本过旧（缺少解压功能）');
      var el = U.byId('jixiao-wasm');
      size = Number(el.getAttribute('data-size'));
      exampleSize = Number(el.getAttribute('data-example') || 0);
      try {
        packed = window.jixiaoTemplate.textToBytes(el.textContent, Number(el.getAttribute('data-length')));
        var unpack = U.byId('jixiao-unpack');
        unpacker = window.jixiaoTemplate.textToBytes(unpack.textContent, Number(unpack.getAttribute('data-length')));
      } catch (err) {
        throw damagedError(U.messageOf(err));
      }
    } catch (err) {
      fatal('无法启动绩效自评：' + U.messageOf(err) + '。', err.damaged);
      return Promise.reject(err);
    }
    return gunzip(unpacker)
      .then(function (buf) { return WebAssembly.instantiate(buf); })
      .then(function (result) {
        var wasm;
        try {
          var bytes = window.jixiaoTemplate.unpackCore(result.instance.exports, packed, size + exampleSize);
          wasm = bytes.subarray(0, size);
          // The fresh app's example unit, packed after the core (www/bundle.js).
          if (exampleSize) engine.example = new TextDecoder('utf-8').decode(bytes.subarray(size));
        } catch (err) {
          throw damagedError(U.messageOf(err));
        }
        return wasm_bindgen({ module_or_path: wasm });
      })
      .then(function (exports) {
        // The core's memory, for the benchmarks' readings of its size.
        engine.memory = exports && exports.memory;
        J.core = guardCore();
      }, function (err) {
        if (err.damaged) throw err;
        throw new Error('计算核心启动失败（' + U.messageOf(err) + '）');
      })
      .catch(function (err) {
        fatal('无法启动绩效自评：' + U.messageOf(err) + '。', err.damaged);
        throw err;
      });
  };

  /** A start-up failure after the core started (the page's own set-up). */
  engine.fatal = fatal;

  J.engine = engine;
})(window.jixiaoApp = window.jixiaoApp || {});
