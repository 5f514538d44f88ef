/* Jixiao page · parse: what people type, cleaned into the text the core reads, and rows
 * pasted from Excel/WPS. Only text is cleaned here; no value is computed. */
(function (J) {
  'use strict';

  /** Full-width digits and signs as people type them in Chinese input methods. */
  function halfWidth(text) {
    return String(text).replace(/[\uFF10-\uFF19]/g, function (c) {
      return String.fromCharCode(c.charCodeAt(0) - 0xFEE0);
    }).replace(/\uFF0E/g, '.').replace(/[\uFF0D\u2212]/g, '-').replace(/\uFF0B/g, '+');
  }

  /** A figure (amount, weight, score, rate) as typed → what the document keeps: the
   *  text exactly as typed, null when blank. The core reads it; a text that is not a
   *  number is kept, not counted, and reported by the core at its cell. */
  function figureText(text) {
    return { ok: true, value: /^\s*$/.test(text) ? null : String(text) };
  }

  function parseYear(text) {
    var s = halfWidth(text).replace(/\s/g, '').replace(/年度?$/, '');
    if (s === '') return { ok: true, value: null };
    if (!/^\d{4}$/.test(s)) return { ok: false, message: '请填写四位年份，如 2022' };
    return { ok: true, value: parseInt(s, 10) };
  }

  function parseBool(text) {
    return /^(是|√|✓|✔|不适用|y|yes|true|1|x)$/i.test(String(text).trim());
  }

  /** Tab-separated rows as Excel and WPS put them on the clipboard: cells holding a
   *  tab, a line break or a quote are quoted with "" for a quote. */
  function parseTsv(text) {
    text = String(text).replace(/\r\n?/g, '\n');
    var rows = [];
    var row = [];
    var cell = '';
    var i = 0;
    var atCellStart = true;
    while (i < text.length) {
      var c = text.charAt(i);
      if (atCellStart && c === '"') {
        var end = closingQuote(text, i + 1);
        if (end >= 0) {
          cell = text.slice(i + 1, end).replace(/""/g, '"');
          i = end + 1;
          atCellStart = false;
          continue;
        }
      }
      atCellStart = false;
      if (c === '\t') {
        row.push(cell);
        cell = '';
        atCellStart = true;
      } else if (c === '\n') {
        row.push(cell);
        rows.push(row);
        row = [];
        cell = '';
        atCellStart = true;
      } else {
        cell += c;
      }
      i++;
    }
    if (cell !== '' || row.length) {
      row.push(cell);
      rows.push(row);
    }
    return rows;
  }

  /** Index of the quote closing a quoted cell opened before `from`, or -1. */
  function closingQuote(text, from) {
    for (var j = from; j < text.length; j++) {
      if (text.charAt(j) !== '"') continue;
      if (text.charAt(j + 1) === '"') { j++; continue; }
      var next = text.charAt(j + 1);
      return next === '' || next === '\t' || next === '\n' ? j : -1;
    }
    return -1;
  }

  J.parse = {
    halfWidth: halfWidth, figureText: figureText, parseYear: parseYear, parseBool: parseBool,
    parseTsv: parseTsv
  };
})(window.jixiaoApp = window.jixiaoApp || {});
