/* Jixiao page · store: the browser's recovery store, one record per document.
 *
 * IndexedDB database “jixiao-recovery” (every file:// page shares one origin, so every
 * record is keyed by the document's identity, never by the page):
 *   documents  { docId, name, year, file, page, time, dirty, unconfirmed, handle,
 *                versions: [{ key, time, reason }] }
 *   texts      key → the unit's JSON text: 'cur:<docId>' for the working copy,
 *              'ver:<docId>:<time>' for an earlier version.
 * A record and its text are written in one transaction. IndexedDB writes reach the
 * disk when the transaction completes (a killed browser keeps them); localStorage took
 * seconds. */
(function (J) {
  'use strict';

  var DB_NAME = 'jixiao-recovery';
  var MAX_VERSIONS = 5; // earlier versions kept per document, besides the working copy
  var LEGACY_KEY = 'jixiao-autosave'; // the single localStorage copy of earlier builds

  var dbPromise = null;

  function request(req) {
    return new Promise(function (resolve, reject) {
      req.onsuccess = function () { resolve(req.result); };
      req.onerror = function () { reject(req.error); };
    });
  }

  /** Resolves when the transaction is on disk; rejects when it fails or `work` (run on
   *  its objects) throws — storage full, say —, which aborts it: nothing half written. */
  function run(tx, work) {
    var failure = null;
    var finished = new Promise(function (resolve, reject) {
      tx.oncomplete = function () { resolve(); };
      tx.onerror = function () { reject(failure || tx.error); };
      tx.onabort = function () { reject(failure || tx.error || new Error('存储事务被中止')); };
    });
    Promise.resolve().then(work).catch(function (err) {
      failure = err;
      try { tx.abort(); } catch (e) { /* already finished */ }
    });
    return finished;
  }

  function open() {
    if (dbPromise) return dbPromise;
    dbPromise = new Promise(function (resolve, reject) {
      if (!window.indexedDB) {
        reject(new Error('浏览器不支持 IndexedDB'));
        return;
      }
      var req = window.indexedDB.open(DB_NAME, 1);
      req.onupgradeneeded = function () {
        var db = req.result;
        if (!db.objectStoreNames.contains('documents')) db.createObjectStore('documents', { keyPath: 'docId' });
        if (!db.objectStoreNames.contains('texts')) db.createObjectStore('texts');
      };
      req.onsuccess = function () {
        var db = req.result;
        // Another tab of a newer build upgrades the database: let it.
        db.onversionchange = function () { db.close(); dbPromise = null; };
        resolve(db);
      };
      req.onerror = function () { reject(req.error); };
      req.onblocked = function () { reject(new Error('浏览器存储被其他页面占用')); };
    });
    dbPromise.catch(function () { dbPromise = null; });
    return dbPromise;
  }

  /** Writes a document's working copy: `meta` (name, year, file, page, dirty,
   *  unconfirmed, and `handle` when given) and its text. opts.version: also keep this
   *  text as an earlier version with that reason (“替换前”, “定时”…). opts.keepPrevious:
   *  an unsaved working copy this text replaces is kept as a version first. */
  function write(docId, meta, text, opts) {
    opts = opts || {};
    return open().then(function (db) {
      var tx = db.transaction(['documents', 'texts'], 'readwrite');
      var docs = tx.objectStore('documents');
      var texts = tx.objectStore('texts');
      return run(tx, function () { return Promise.all([
        request(docs.get(docId)), opts.keepPrevious ? request(texts.get('cur:' + docId)) : null
      ]).then(function (got) {
        var list = got[0] && got[0].versions || [];
        var last = list.length ? request(texts.get(list[list.length - 1].key)) : null;
        return Promise.resolve(last).then(function (lastText) { got.push(lastText); return got; });
      }).then(function (got) {
        var old = got[0];
        var rec = old || { docId: docId, versions: [] };
        var versions = [];
        if (old && old.dirty && got[1] && got[1] !== text) versions.push([got[1], '被覆盖前', ':0']);
        if (opts.version && text) versions.push([text, opts.version, '']);
        // A version the same as the one kept last adds nothing (a reload, a replace).
        versions = versions.filter(function (v) { return v[0] !== got[2]; });
        Object.keys(meta).forEach(function (k) { rec[k] = meta[k]; });
        rec.time = new Date().toISOString();
        if (text !== null && text !== undefined) texts.put(text, 'cur:' + docId);
        versions.forEach(function (v) {
          var key = 'ver:' + docId + ':' + rec.time + v[2];
          texts.put(v[0], key);
          rec.versions = (rec.versions || []).concat([{ key: key, time: rec.time, reason: v[1] }]);
        });
        while (rec.versions.length > MAX_VERSIONS) texts.delete(rec.versions.shift().key);
        docs.put(rec);
      }); });
    });
  }

  /** Changes a record's fields only (dirty, handle…); nothing when there is none. */
  function update(docId, meta) {
    return open().then(function (db) {
      var tx = db.transaction(['documents'], 'readwrite');
      var docs = tx.objectStore('documents');
      return run(tx, function () { return request(docs.get(docId)).then(function (rec) {
        if (!rec) return;
        Object.keys(meta).forEach(function (k) { rec[k] = meta[k]; });
        docs.put(rec);
      }); });
    });
  }

  function get(docId) {
    return open().then(function (db) {
      return request(db.transaction(['documents']).objectStore('documents').get(docId));
    });
  }

  /** Every document's record (without texts), newest first. */
  function list() {
    return open().then(function (db) {
      return request(db.transaction(['documents']).objectStore('documents').getAll());
    }).then(function (all) {
      return all.sort(function (a, b) { return a.time < b.time ? 1 : a.time > b.time ? -1 : 0; });
    });
  }

  /** A text by key ('cur:<docId>' or a version's key). */
  function text(key) {
    return open().then(function (db) {
      return request(db.transaction(['texts']).objectStore('texts').get(key));
    });
  }

  function forget(docId) {
    return open().then(function (db) {
      var tx = db.transaction(['documents', 'texts'], 'readwrite');
      var docs = tx.objectStore('documents');
      var texts = tx.objectStore('texts');
      return run(tx, function () { return request(docs.get(docId)).then(function (rec) {
        if (!rec) return;
        (rec.versions || []).forEach(function (v) { texts.delete(v.key); });
        texts.delete('cur:' + docId);
        docs.delete(docId);
      }); });
    });
  }

  /** The working copy an earlier build kept under one localStorage key becomes a
   *  record of its own (nothing of it is lost), once. */
  function migrateLegacy(newId) {
    var saved;
    try {
      saved = JSON.parse(window.localStorage.getItem(LEGACY_KEY) || 'null');
    } catch (err) {
      return Promise.resolve();
    }
    if (!saved || !saved.unit) return Promise.resolve();
    var unit = saved.unit;
    var docId = unit.documentId || newId();
    unit.documentId = docId;
    return write(docId, {
      name: unit.name || '', year: unit.year || null, file: '（早期版本的自动保存）', page: '',
      dirty: !!saved.dirty, unconfirmed: false
    }, JSON.stringify(unit)).then(function () {
      window.localStorage.removeItem(LEGACY_KEY);
    });
  }

  J.store = {
    open: open, write: write, update: update, get: get, list: list, text: text, forget: forget,
    migrateLegacy: migrateLegacy
  };
})(window.jixiaoApp = window.jixiaoApp || {});
