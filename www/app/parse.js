/* Jixiao page · parse: what people type, kept as the text the core reads, and rows
 * pasted from Excel/WPS. No number is read here; the core reads every one. */
(function (J) {
  'use strict';

  /** A figure (amount, weight, score, rate) as typed → what the document keeps: the
   *  text exactly as typed, null when blank. The core reads it; a text that is not a
   *  number is kept, not counted, and reported by the core at its cell. */
  function figureText(text) {
    return { ok: true, value: /^\s*$/.test(text) ? null : String(text) };
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
    figureText: figureText, parseBool: parseBool,
    parseTsv: parseTsv
  };
})(window.jixiaoApp = window.jixiaoApp || {});
