/* Jixiao page · util: DOM building, paths into the unit, small text helpers. No state,
 * no rule: every other module takes these from J.util. ES5 (old Chromium cores). */
(function (J) {
  'use strict';

  var GRADE_CLASS = { '优': 'grade-a', '良': 'grade-b', '中': 'grade-c', '差': 'grade-d' };

  function messageOf(err) {
    if (err && typeof err.message === 'string') return err.message;
    return String(err);
  }

  function byId(id) {
    return document.getElementById(id);
  }

  /** createElement with attributes, listeners (onclick…) and children (text is inert). */
  function h(tag, attrs, children) {
    var node = document.createElement(tag);
    setAttributes(node, attrs);
    appendAll(node, children);
    return node;
  }

  function setAttributes(node, attrs) {
    if (!attrs) return;
    Object.keys(attrs).forEach(function (key) {
      var value = attrs[key];
      if (value === null || value === undefined || value === false) return;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key === 'value' || key === 'checked' || key === 'disabled') node[key] = value;
      else if (key.indexOf('on') === 0 && typeof value === 'function') {
        node.addEventListener(key.slice(2), value);
      } else node.setAttribute(key, value === true ? '' : String(value));
    });
  }

  function appendAll(node, children) {
    if (children === null || children === undefined) return;
    if (!Array.isArray(children)) children = [children];
    children.forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === 'string' ? document.createTextNode(child) : child);
    });
  }

  var SVG_NS = 'http://www.w3.org/2000/svg';
  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG_NS, tag);
    Object.keys(attrs || {}).forEach(function (key) {
      node.setAttribute(key, String(attrs[key]));
    });
    if (text !== undefined) node.textContent = text;
    return node;
  }

  function clear(node) {
    while (node.firstChild) node.removeChild(node.firstChild);
  }

  /** The page's root, emptied for the live page: the saved screen it showed while the
   *  page started (template.js, snapshot.js) goes, and with it its inert state. */
  function takeApp() {
    var app = byId('app');
    clear(app);
    app.classList.remove('snapshot');
    app.removeAttribute('data-hash');
    app.removeAttribute('inert');
    return app;
  }

  function dash(value) {
    return value === null || value === undefined || value === '' ? '—' : String(value);
  }

  function gradeClass(grade) {
    return GRADE_CLASS[grade] || 'grade-none';
  }

  /** The binding serialises the Summary with Rust field names (snake_case); the page
   *  reads camelCase like the unit. Converting here keeps the page working whichever
   *  the binding sends. */
  var camelNames = Object.create(null); // snake_case key → camelCase, each converted once

  function camelKeys(value) {
    if (Array.isArray(value)) return value.map(camelKeys);
    if (!value || typeof value !== 'object') return value;
    var out = {};
    for (var key in value) {
      if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
      var camel = camelNames[key];
      if (camel === undefined) {
        camel = camelNames[key] = key.replace(/_([a-z])/g, function (m, c) { return c.toUpperCase(); });
      }
      out[camel] = camelKeys(value[key]);
    }
    return out;
  }

  /* Paths into the unit: 'funds.total.budget' → ['funds', 'total', 'budget'];
   * numeric parts index arrays. */
  function splitPath(text) {
    return text.split('.').map(function (part) {
      return /^\d+$/.test(part) ? Number(part) : part;
    });
  }

  function getIn(obj, path) {
    for (var i = 0; i < path.length; i++) {
      if (obj === null || obj === undefined) return null;
      obj = obj[path[i]];
    }
    return obj === undefined ? null : obj;
  }

  /** Sets a value, creating missing objects on the way (an absent optional fund row
   *  becomes `{}`; the core fills in its defaults). */
  function setIn(obj, path, value) {
    for (var i = 0; i < path.length - 1; i++) {
      if (obj[path[i]] === null || obj[path[i]] === undefined) obj[path[i]] = {};
      obj = obj[path[i]];
    }
    obj[path[path.length - 1]] = value;
  }

  function copy(value) {
    return JSON.parse(JSON.stringify(value));
  }

  /** A button with a label, a click handler and attributes. */
  function button(label, onClick, attrs) {
    var b = h('button', { type: 'button', text: label });
    setAttributes(b, attrs);
    if (onClick) b.addEventListener('click', onClick);
    return b;
  }

  /** Writes a node's text or class only when it differs (no needless layout work). */
  function setText(node, text) {
    if (node.textContent !== text) node.textContent = text;
  }

  function setClass(node, name) {
    if (node.className !== name) node.className = name;
  }

  function activateOnEnter(e) {
    if (e.key === 'Enter' || e.key === ' ') {
      e.preventDefault();
      e.currentTarget.click();
    }
  }

  function cssEscape(text) {
    return String(text).replace(/["\\]/g, '\\$&');
  }

  /** 2026-12-02 08:15 in local time. */
  function formatTime(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) return '时间不详';
    var two = function (n) { return (n < 10 ? '0' : '') + n; };
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' +
      two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }

  /** The core's messages are Chinese; anything else (a browser's or a trap's) is
   *  named as an internal error rather than shown bare. */
  function reasonOf(err) {
    var message = messageOf(err).replace(/[。.]$/, '');
    return /[\u4e00-\u9fff]/.test(message) ? message : '程序内部错误（' + message + '）';
  }

  /** A name without the characters file systems refuse, at most `max` characters. */
  function safeName(text, max) {
    // Bidirectional controls (U+202E…) could make “报告\u202Eslx.exe” look like another
    // kind of file: dropped.
    var name = String(text || '').replace(/[\\/:*?"<>|\u0000-\u001f\u007f]/g, '_')
      .replace(/[\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g, '')
      .replace(/^[\s.]+|[\s.]+$/g, '');
    return name.length > max ? name.slice(0, max) : name;
  }

  J.util = {
    messageOf: messageOf, byId: byId, h: h, setAttributes: setAttributes, appendAll: appendAll,
    svg: svg, clear: clear, takeApp: takeApp, dash: dash, gradeClass: gradeClass, camelKeys: camelKeys,
    splitPath: splitPath, getIn: getIn, setIn: setIn, copy: copy, button: button,
    setText: setText, setClass: setClass, activateOnEnter: activateOnEnter, cssEscape: cssEscape,
    formatTime: formatTime, reasonOf: reasonOf, safeName: safeName
  };
})(window.jixiaoApp = window.jixiaoApp || {});
