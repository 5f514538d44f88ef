/* Jixiao page · tabs: one editor per document across the browser's tabs.
 *
 * The tab that edits a document holds the Web Lock “jixiao-doc:<docId>” (every file://
 * page shares one origin, so the lock is seen by every tab of every copy). A second tab
 * of the same document finds the lock taken: it shows the document read-only and may
 * take the editing over. Taking over asks the editing tab, on the BroadcastChannel
 * “jixiao”, to write its latest state to the recovery store and let go; the new tab
 * then reads that state, so nothing of either is lost. */
(function (J) {
  'use strict';

  var CHANNEL = 'jixiao';
  var YIELD_WAIT_MS = 3000;

  var channel = typeof BroadcastChannel === 'function' ? new BroadcastChannel(CHANNEL) : null;
  var locks = navigator.locks && typeof navigator.locks.request === 'function' ? navigator.locks : null;
  var held = null; // { docId, release, onLost }
  var handlers = { yield: null, changed: null, lost: null };
  var tabId = Math.random().toString(36).slice(2);

  function lockName(docId) {
    return 'jixiao-doc:' + docId;
  }

  function post(message) {
    if (!channel) return;
    message.from = tabId;
    try {
      channel.postMessage(message);
    } catch (err) { /* a closed channel: nobody listens */ }
  }

  if (channel) {
    channel.onmessage = function (e) {
      var m = e.data || {};
      if (m.from === tabId) return;
      if (m.type === 'yield' && held && held.docId === m.docId && handlers.yield) {
        // Write the latest state, then let go and tell the asking tab.
        var mine = held;
        Promise.resolve(handlers.yield()).catch(function () {}).then(function () {
          if (held !== mine) return;
          release();
          post({ type: 'yielded', docId: m.docId });
          if (mine.onLost) mine.onLost();
        });
      } else if (m.type === 'changed' && handlers.changed) {
        handlers.changed(m.docId);
      }
    };
  }

  /** Holds the lock of `docId` in this tab. Resolves true when this tab edits the
   *  document, false when another tab already does. `onLost` runs when another tab
   *  takes it over. Without Web Locks (not seen in Chromium 86+) every tab edits. */
  function claim(docId, onLost, steal) {
    // Already held (the same document opened again here): letting go and asking again
    // at once would find it still taken.
    if (held && held.docId === docId && !steal) return Promise.resolve(true);
    release();
    if (!locks) return Promise.resolve(true);
    return new Promise(function (resolve) {
      var mine = { docId: docId, release: null, onLost: onLost };
      var options = steal ? { steal: true } : { ifAvailable: true };
      locks.request(lockName(docId), options, function (lock) {
        if (!lock) {
          resolve(false);
          return undefined;
        }
        held = mine;
        resolve(true);
        return new Promise(function (free) { mine.release = free; });
      }).catch(function () {
        // Stolen by another tab (AbortError): this tab no longer edits the document.
        if (held === mine) {
          held = null;
          if (onLost) onLost();
        }
        resolve(false);
      });
    });
  }

  function release() {
    if (held && held.release) held.release();
    held = null;
  }

  /** Asks the tab that edits `docId` to save its state and let go (it answers when it
   *  has), then takes the lock (by force after YIELD_WAIT_MS: a tab that does not
   *  answer is frozen or gone, and its last state is in the store). */
  function takeOver(docId, onLost) {
    return new Promise(function (resolve) {
      var finished = false;
      var finish = function () {
        if (finished) return;
        finished = true;
        if (channel) channel.removeEventListener('message', listener);
        resolve(claim(docId, onLost, true));
      };
      var listener = function (e) {
        var m = e.data || {};
        if (m.type === 'yielded' && m.docId === docId) finish();
      };
      if (channel) channel.addEventListener('message', listener);
      post({ type: 'yield', docId: docId });
      setTimeout(finish, channel ? YIELD_WAIT_MS : 0);
    });
  }

  /** Documents being edited in some tab now (their lock is held). */
  function editedElsewhere() {
    if (!locks || typeof locks.query !== 'function') return Promise.resolve({});
    return locks.query().then(function (state) {
      var busy = {};
      (state.held || []).forEach(function (l) {
        if (l.name.indexOf('jixiao-doc:') === 0) busy[l.name.slice('jixiao-doc:'.length)] = true;
      });
      if (held) delete busy[held.docId];
      return busy;
    }, function () { return {}; });
  }

  J.tabs = {
    claim: claim,
    release: release,
    takeOver: takeOver,
    editedElsewhere: editedElsewhere,
    /** Tells read-only tabs that the document's stored state changed. */
    changed: function (docId) { post({ type: 'changed', docId: docId }); },
    /** handlers.yield(): write the latest state (a promise); handlers.changed(docId). */
    on: function (name, fn) { handlers[name] = fn; }
  };
})(window.jixiaoApp = window.jixiaoApp || {});
