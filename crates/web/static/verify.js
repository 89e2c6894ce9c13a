/*
 * verify.js — a second, independent implementation of suiji's draw protocol
 * (`suiji-draw/1` and `suiji-assign/1`, see docs/draw-protocol.md), for the public verify page.
 *
 * Why a second implementation at all: a citizen who re-checks a draw should not have to trust the
 * engine that made it. This file shares no code with the Rust engine; it hashes with the
 * browser's own SHA-256 (Web Crypto) and turns digests into decimal with the language's own
 * BigInt, so a mistake in either implementation shows up as a disagreement, not as two identical
 * wrong answers. It must stay byte-for-byte equal to the engine on the test vectors
 * (crates/draw/tests/vectors, checked by crates/web/tests/verify_js/run_vectors.js).
 *
 * Plain script, no build step, no dependencies: it runs in a browser (`window.SuijiVerify`) and
 * in Node 20 or later (`require('./verify.js')`), which has the same `crypto.subtle`.
 *
 * Web Crypto only exists in a secure context: the page must be served over HTTPS (or from
 * localhost), otherwise every check fails with a message saying so.
 *
 * API (everything that hashes returns a Promise):
 *   ticket(seed, name)                                   → ticket string (protocol §1)
 *   populationSha256(rows)                               → lowercase hex (protocol §2)
 *   parsePopulationCsv(text), parseInspectorsCsv(text), parseRecusalsCsv(text)
 *   draw(rows, seed, rule, reserveCount, onProgress)     → draw document
 *   assign(drawDoc, inspectors, recusals, {team_size, require, max_load}) → assignment document
 *   verifyDraw(doc, rows, onProgress)                    → {ok, checks} or {ok: false, difference, checks}
 *   verifyAssignment(doc, drawDoc, inspectors, recusals) → the same shape
 *   mount(element)                                       → binds the verify page (see mount below)
 * onProgress, when given, is called as onProgress({phase: 'tickets', done, total}).
 * Errors are thrown as Error objects whose `message` is English (the engine's own wording where
 * the engine has one, e.g. "not enough inspectors for X") and whose `zh` property is Chinese.
 */
(function (root) {
  'use strict';

  var DRAW_PROTOCOL = 'suiji-draw/1';
  var ASSIGN_PROTOCOL = 'suiji-assign/1';
  // The engine's limits (crates/draw/src/population.rs, crates/domain/src/rules.rs).
  var MAX_WEIGHT = 10000;
  var MAX_STRATA = 65535;
  var RATIO_BP_FULL = 10000;
  var MIN_TEAM_SIZE = 2;
  // How many SHA-256 computations are in flight at once. Web Crypto answers each digest through a
  // promise; issuing one at a time would spend most of the time waiting for the next turn of the
  // event loop, while a few thousand at once keep the platform's hashing threads busy without
  // holding a whole population's worth of buffers. Between batches the page can repaint.
  var BATCH = 4096;

  // ---------------------------------------------------------------------------------------------
  // Errors

  /** An error with an English message (the engine's wording) and a Chinese one (`zh`). */
  function SuijiError(en, zh) {
    var e = new Error(en);
    e.name = 'SuijiError';
    e.zh = zh || en;
    e.suiji = true; // an input problem, not a bug: verify turns these into a "difference"
    return e;
  }

  /** "中文 (English)" for an error, as the page shows it. */
  function bilingual(e) {
    if (e && e.suiji && e.zh && e.zh !== e.message) return e.zh + ' (' + e.message + ')';
    return e && e.message ? e.message : String(e);
  }

  // ---------------------------------------------------------------------------------------------
  // Text

  var encoder = new TextEncoder();

  /**
   * Compares two strings by their UTF-8 bytes, as the protocol and the engine (Rust's `str`
   * order) do. JavaScript's own `<` compares UTF-16 code units, which disagrees with UTF-8 for
   * characters above U+FFFF (stored as surrogates D800–DFFF) against characters U+E000–U+FFFF.
   * UTF-8 order is code point order, so at the first differing unit, lift surrogates above
   * everything else in the BMP and compare.
   */
  function compareUtf8(a, b) {
    if (a === b) return 0;
    var n = Math.min(a.length, b.length);
    for (var i = 0; i < n; i++) {
      var x = a.charCodeAt(i);
      var y = b.charCodeAt(i);
      if (x !== y) {
        if (x >= 0xd800 && y >= 0xd800) {
          x = x >= 0xe000 ? x - 0x800 : x + 0x2000;
          y = y >= 0xe000 ? y - 0x800 : y + 0x2000;
        }
        return x < y ? -1 : 1;
      }
    }
    return a.length - b.length < 0 ? -1 : a.length === b.length ? 0 : 1;
  }

  // Rust's `char::is_control` (Unicode general category Cc) and `char::is_whitespace` (the
  // White_Space property). JavaScript's `\s` is not the same set (it includes U+FEFF).
  var CONTROL = /[\u0000-\u001f\u007f-\u009f]/;
  var WHITESPACE = '\t\n\u000b\f\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005' +
    '\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000';
  var OUTER_SPACE = new RegExp('^[' + WHITESPACE + ']|[' + WHITESPACE + ']$');

  function isWhitespace(ch) {
    return WHITESPACE.indexOf(ch) >= 0;
  }

  /** Rust's `str::trim`: Unicode White_Space at both ends. */
  function trimRust(s) {
    var start = 0;
    var end = s.length;
    while (start < end && isWhitespace(s[start])) start++;
    while (end > start && isWhitespace(s[end - 1])) end--;
    return s.slice(start, end);
  }

  /** A string quoted the way the engine's messages quote it (Rust's `{:?}`). */
  function quote(s) {
    s = String(s);
    var out = '"';
    for (var i = 0; i < s.length; i++) {
      var c = s[i];
      var code = s.charCodeAt(i);
      if (c === '"' || c === '\\') out += '\\' + c;
      else if (c === '\n') out += '\\n';
      else if (c === '\r') out += '\\r';
      else if (c === '\t') out += '\\t';
      else if (c === '\0') out += '\\0';
      else if (CONTROL.test(c)) out += '\\u{' + code.toString(16) + '}';
      else out += c;
    }
    return out + '"';
  }

  /** Sets a property even when the key is `__proto__` (keys come from JSON and CSV files). */
  function setOwn(object, key, value) {
    Object.defineProperty(object, key, { value: value, enumerable: true, writable: true, configurable: true });
  }

  function isPlainObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  function isCount(v) {
    return typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  }

  // ---------------------------------------------------------------------------------------------
  // SHA-256 (Web Crypto) and tickets (protocol §1)

  function subtle() {
    var c = root.crypto || (typeof globalThis !== 'undefined' ? globalThis.crypto : undefined);
    if (!c || !c.subtle) {
      throw SuijiError(
        'Web Crypto (crypto.subtle) is not available: open this page over HTTPS',
        '浏览器的 Web Crypto（crypto.subtle）不可用：请通过 HTTPS 打开本页'
      );
    }
    return c.subtle;
  }

  /** SHA-256 of bytes (a Uint8Array), as an ArrayBuffer of 32 bytes. */
  function sha256(bytes) {
    return subtle().digest('SHA-256', bytes);
  }

  var HEX = [];
  for (var h = 0; h < 256; h++) HEX.push((h < 16 ? '0' : '') + h.toString(16));

  function toHex(buffer) {
    var bytes = new Uint8Array(buffer);
    var out = '';
    for (var i = 0; i < bytes.length; i++) out += HEX[bytes[i]];
    return out;
  }

  /** Lowercase hex SHA-256 of a string's UTF-8 bytes. */
  function sha256Hex(text) {
    return sha256(encoder.encode(text)).then(toHex);
  }

  /**
   * The ticket of a digest: the 256-bit big-endian number in decimal, padded to 64 digits,
   * written least significant digit first after "0.". BigInt does the base conversion, so the
   * only arithmetic here is the platform's own.
   */
  function ticketOfDigest(buffer) {
    var v = new DataView(buffer);
    var n = (v.getBigUint64(0) << 192n) | (v.getBigUint64(8) << 128n) |
      (v.getBigUint64(16) << 64n) | v.getBigUint64(24);
    var digits = n.toString(10);
    while (digits.length < 64) digits = '0' + digits;
    // Reversed through character codes: one flat string, where appending digit by digit would
    // build a rope that every later comparison has to flatten (a third of the ranking's time).
    var codes = new Array(digits.length);
    for (var i = 0; i < digits.length; i++) codes[i] = digits.charCodeAt(digits.length - 1 - i);
    return '0.' + String.fromCharCode.apply(null, codes);
  }

  /**
   * Tickets under one seed. H = hex(SHA-256(seed)) is computed once; a ticket name x then costs
   * one SHA-256 of `H ‖ x`. H is ASCII, so the UTF-8 of the string H + x is exactly H ‖ UTF-8(x).
   * (Web Crypto has no resumable hash, so unlike the engine this does not reuse the state after
   * H's 64-byte block; the result is the same, it only costs one more compression per name.)
   */
  function ticketHasher(seed) {
    if (typeof seed !== 'string') {
      return Promise.reject(SuijiError('the seed must be a string', '种子必须是字符串'));
    }
    return sha256Hex(seed).then(function (seedHex) {
      return {
        seedHex: seedHex,
        /** Tickets of `names`, all hashed concurrently (callers keep the batch bounded). */
        tickets: function (names) {
          return Promise.all(names.map(function (name) {
            return sha256(encoder.encode(seedHex + name));
          })).then(function (digests) {
            return digests.map(ticketOfDigest);
          });
        },
      };
    });
  }

  /** `ticket(S, x)` of protocol §1. */
  function ticket(seed, name) {
    return ticketHasher(seed).then(function (hasher) {
      return hasher.tickets([String(name)]);
    }).then(function (t) {
      return t[0];
    });
  }

  /** Ranking order of (ticket, name) pairs: tickets are ASCII, so `<` is their byte order. */
  function compareTickets(ticketA, nameA, ticketB, nameB) {
    if (ticketA < ticketB) return -1;
    if (ticketA > ticketB) return 1;
    return compareUtf8(nameA, nameB);
  }

  // ---------------------------------------------------------------------------------------------
  // Populations (protocol §2): checking rows as the engine does, and the commitment

  /** What is wrong with one entity, or null (crates/draw/src/population.rs, make_record). */
  function entityProblem(id, weight, stratum) {
    if (id === '') return { column: 'id', en: 'id is empty', zh: 'id 为空' };
    var p = textProblem('id', id);
    if (p) return p;
    if (!(Number.isSafeInteger(weight) && weight >= 1 && weight <= MAX_WEIGHT)) {
      return {
        column: 'weight',
        en: 'weight must be a whole number from 1 to ' + MAX_WEIGHT + ', found ' + weight,
        zh: '权重必须是 1 到 ' + MAX_WEIGHT + ' 的整数，实际为 ' + weight,
      };
    }
    return textProblem('stratum', stratum);
  }

  /** Tab and line feed separate the commitment's fields: no control characters, no outer spaces. */
  function textProblem(field, value) {
    var name = field === 'id' ? 'id' : '分层';
    if (CONTROL.test(value)) {
      return {
        column: field,
        en: field + ' ' + quote(value) + ' contains a control character (tab, line break…)',
        zh: name + ' ' + quote(value) + ' 含有控制字符（制表符、换行等）',
      };
    }
    if (OUTER_SPACE.test(value)) {
      return {
        column: field,
        en: field + ' ' + quote(value) + ' begins or ends with a space',
        zh: name + ' ' + quote(value) + ' 首尾有空格',
      };
    }
    return null;
  }

  /**
   * Checks rows and returns the population: `entities` sorted by id (byte order), each
   * `{id, weight, stratum, index}` with `index` its position in `rows`. `report` names rows in
   * messages: rows given in memory are "entry N", rows of a CSV file their row in the file.
   */
  function buildPopulation(rows, report) {
    if (!Array.isArray(rows)) {
      throw SuijiError('the population must be a list of rows {id, weight, stratum}',
        '总体必须是 {id, weight, stratum} 行的列表');
    }
    var entities = new Array(rows.length);
    var strata = new Set();
    for (var i = 0; i < rows.length; i++) {
      var row = rows[i];
      if (!isPlainObject(row) || typeof row.id !== 'string') {
        throw report.entity(i, { column: 'id', en: 'id must be a string', zh: 'id 必须是字符串' });
      }
      // Weight and stratum are optional (protocol §2: weight 1, stratum empty).
      var weight = row.weight === undefined || row.weight === null ? 1 : row.weight;
      var stratum = row.stratum === undefined || row.stratum === null ? '' : row.stratum;
      if (typeof stratum !== 'string') {
        throw report.entity(i, { column: 'stratum', en: 'stratum must be a string', zh: '分层必须是字符串' });
      }
      var problem = entityProblem(row.id, weight, stratum);
      if (problem) throw report.entity(i, problem);
      strata.add(stratum);
      if (strata.size > MAX_STRATA) {
        throw report.entity(i, {
          column: 'stratum', en: 'more than ' + MAX_STRATA + ' strata', zh: '分层超过 ' + MAX_STRATA + ' 个',
        });
      }
      entities[i] = { id: row.id, weight: weight, stratum: stratum, index: i };
    }
    // A stable sort: of two equal ids, the earlier row comes first, and is named first.
    entities.sort(function (a, b) {
      return compareUtf8(a.id, b.id);
    });
    for (var j = 1; j < entities.length; j++) {
      if (entities[j - 1].id === entities[j].id) {
        throw report.duplicate(entities[j - 1].index, entities[j].index, entities[j].id);
      }
    }
    checkTicketNames(entities, report);
    return { entities: entities };
  }

  /**
   * An id `base#k` must not be the k-th ticket name of an entity `base` of weight ≥ k: the two
   * would share a ticket (the engine refuses it the same way).
   */
  function checkTicketNames(entities, report) {
    var byId = null;
    for (var i = 0; i < entities.length; i++) {
      var id = entities[i].id;
      var hash = id.lastIndexOf('#');
      if (hash < 0) continue;
      var k = id.slice(hash + 1);
      // Names are written `#2`, `#3`…: digits only, no leading zero, within a u32.
      if (!/^[1-9][0-9]*$/.test(k) || Number(k) > 4294967295) continue;
      var copy = Number(k);
      if (byId === null) {
        byId = new Map();
        entities.forEach(function (e) {
          byId.set(e.id, e);
        });
      }
      var base = byId.get(id.slice(0, hash));
      if (base && copy >= 2 && base.weight >= copy) {
        throw report.entity(entities[i].index, {
          column: 'id',
          en: 'id ' + quote(id) + ' is also ticket name ' + copy + ' of ' + quote(base.id) +
            ' (weight ' + base.weight + '); the two would share a ticket',
          zh: 'id ' + quote(id) + ' 与 ' + quote(base.id) + '（权重 ' + base.weight + '）的第 ' + copy +
            ' 个票名相同，两者会得到同一张票',
        });
      }
    }
  }

  /** Messages for rows given in memory (JSON): "entry N", counted from 1. */
  var ENTRIES = {
    entity: function (i, p) {
      return SuijiError('entry ' + (i + 1) + ': ' + p.en, '第 ' + (i + 1) + ' 项：' + p.zh);
    },
    duplicate: function (i, j, id) {
      return SuijiError('entries ' + (i + 1) + ' and ' + (j + 1) + ': duplicate id ' + quote(id),
        '第 ' + (i + 1) + ' 项与第 ' + (j + 1) + ' 项：id ' + quote(id) + ' 重复');
    },
  };

  /** `id TAB weight TAB stratum LF` per entity, in id order: the text `population_sha256` hashes. */
  function commitmentText(population) {
    var lines = new Array(population.entities.length);
    population.entities.forEach(function (e, i) {
      lines[i] = e.id + '\t' + e.weight + '\t' + e.stratum + '\n';
    });
    return lines.join('');
  }

  /** `population_sha256` of rows `[{id, weight, stratum}]`. */
  function populationSha256(rows) {
    return Promise.resolve().then(function () {
      return sha256Hex(commitmentText(buildPopulation(rows, ENTRIES)));
    });
  }

  // ---------------------------------------------------------------------------------------------
  // CSV (RFC 4180, read as leniently as the engine's csv crate does)

  /**
   * Splits CSV text into records `{row, fields}`, `row` being the record's row as a spreadsheet
   * numbers it (one more than the line feeds before it). Blank lines are skipped; a line ends at
   * LF, CRLF or a lone CR; a field that starts with `"` is quoted (`""` inside is one quote) and
   * may hold commas and line breaks. Like the engine's reader, a quote that does not start a field
   * is an ordinary character, and an unterminated quoted field runs to the end of the text.
   */
  function readCsv(text) {
    if (typeof text !== 'string') throw SuijiError('the CSV file must be text', 'CSV 文件必须是文本');
    if (text.charCodeAt(0) === 0xfeff) text = text.slice(1); // byte-order mark
    var records = [];
    var n = text.length;
    var i = 0;
    var row = 1;
    var countFeeds = function (s) {
      for (var k = s.indexOf('\n'); k >= 0; k = s.indexOf('\n', k + 1)) row++;
    };
    while (i < n) {
      var c = text.charCodeAt(i);
      if (c === 10) {
        row++;
        i++;
        continue;
      }
      if (c === 13) {
        i++;
        continue;
      }
      var record = { row: row, fields: [] };
      for (;;) {
        var field = '';
        if (text.charCodeAt(i) === 34) {
          i++;
          for (;;) {
            var q = text.indexOf('"', i);
            if (q < 0) {
              field += text.slice(i);
              countFeeds(text.slice(i));
              i = n;
              break;
            }
            var part = text.slice(i, q);
            countFeeds(part);
            field += part;
            if (text.charCodeAt(q + 1) === 34) {
              field += '"';
              i = q + 2;
            } else {
              i = q + 1;
              break;
            }
          }
        }
        var j = i;
        while (j < n) {
          var d = text.charCodeAt(j);
          if (d === 44 || d === 10 || d === 13) break;
          j++;
        }
        field += text.slice(i, j);
        i = j;
        record.fields.push(field);
        if (i < n && text.charCodeAt(i) === 44) {
          i++;
          continue;
        }
        break;
      }
      records.push(record);
    }
    return records;
  }

  /** Messages for rows of a CSV file: "row N, column C", as the engine's command line says. */
  function rowError(row, column, en, zh) {
    return SuijiError('row ' + row + (column ? ', column ' + column : '') + ': ' + en,
      '第 ' + row + ' 行' + (column ? ' ' + column + ' 列' : '') + '：' + zh);
  }

  /**
   * Matches the header record to the columns of a kind of file: names case-insensitive, outer
   * spaces ignored, every required one present, none unknown or repeated. Returns the data
   * records and each column's position in them (undefined when absent).
   */
  function readTable(text, required, optional) {
    var records = readCsv(text);
    var all = required.concat(optional);
    var expected = all.join(',');
    if (records.length === 0) {
      throw SuijiError('is empty; it needs the header ' + expected, '文件是空的，需要表头 ' + expected);
    }
    var header = records[0];
    var names = header.fields.map(function (f) {
      return trimRust(f).toLowerCase();
    });
    names.forEach(function (name, i) {
      if (all.indexOf(name) < 0) {
        var shown = name === '' ? '(empty)' : quote(name);
        throw rowError(header.row, null,
          'unknown column ' + shown + ' (column ' + (i + 1) + '); the header is ' + expected,
          '未知的列 ' + (name === '' ? '（空）' : quote(name)) + '（第 ' + (i + 1) + ' 列），表头应为 ' + expected);
      }
      if (names.indexOf(name) < i) {
        throw rowError(header.row, null, 'column ' + quote(name) + ' appears twice',
          '列 ' + quote(name) + ' 出现了两次');
      }
    });
    required.forEach(function (column) {
      if (names.indexOf(column) < 0) {
        throw rowError(header.row, null, 'the header has no ' + quote(column) + ' column; it is ' + expected,
          '表头缺少 ' + quote(column) + ' 列，应为 ' + expected);
      }
    });
    var position = {};
    all.forEach(function (column) {
      var at = names.indexOf(column);
      if (at >= 0) position[column] = at;
    });
    var rows = records.slice(1);
    rows.forEach(function (r) {
      if (r.fields.length !== names.length) {
        throw rowError(r.row, null, 'has ' + r.fields.length + ' fields, the header has ' + names.length,
          '有 ' + r.fields.length + ' 个字段，表头有 ' + names.length + ' 个');
      }
    });
    return { rows: rows, position: position };
  }

  /** A weight cell: a whole number, outer spaces allowed (as the engine reads it). */
  function parseWeight(cell, row) {
    var trimmed = trimRust(cell);
    var found = quote(trimmed);
    if (trimmed !== '' && /^[0-9]+$/.test(trimmed)) {
      // Long digit strings are out of range anyway; name them as written, not as 1e+20.
      if (trimmed.length <= 15) return Number(trimmed);
      found = trimmed;
    }
    throw rowError(row, 'weight',
      'weight must be a whole number from 1 to ' + MAX_WEIGHT + ', found ' + found,
      '权重必须是 1 到 ' + MAX_WEIGHT + ' 的整数，实际为 ' + found);
  }

  /**
   * A population file: CSV with the header `id,weight,stratum` (weight and stratum optional, in
   * any order). Returns rows `{id, weight, stratum}` in file order; throws naming the row.
   */
  function parsePopulationCsv(text) {
    var table = readTable(text, ['id'], ['weight', 'stratum']);
    var p = table.position;
    var rows = table.rows.map(function (r) {
      return {
        id: r.fields[p.id],
        weight: p.weight === undefined ? 1 : parseWeight(r.fields[p.weight], r.row),
        stratum: p.stratum === undefined ? '' : r.fields[p.stratum],
      };
    });
    var rowOf = function (i) {
      return table.rows[i].row;
    };
    buildPopulation(rows, {
      entity: function (i, problem) {
        return rowError(rowOf(i), problem.column, problem.en, problem.zh);
      },
      duplicate: function (first, second, id) {
        return rowError(rowOf(second), 'id', 'duplicate id ' + quote(id) + ', also on row ' + rowOf(first),
          'id ' + quote(id) + ' 重复，第 ' + rowOf(first) + ' 行也有');
      },
    });
    return rows;
  }

  /** A cell of the inspectors or recusals file: a value without outer spaces or control characters. */
  function poolCell(row, column, cell) {
    var en;
    var zh;
    if (cell === '') {
      en = column + ' is empty';
      zh = column + ' 为空';
    } else if (CONTROL.test(cell)) {
      en = column + ' contains a control character (tab, line break…)';
      zh = column + ' 含有控制字符（制表符、换行等）';
    } else if (trimRust(cell) !== cell) {
      en = column + ' begins or ends with a space';
      zh = column + ' 首尾有空格';
    } else {
      return cell;
    }
    throw rowError(row, column, en, zh);
  }

  /** The inspector pool: CSV `id,department`. Returns `[{id, department}]`. */
  function parseInspectorsCsv(text) {
    var table = readTable(text, ['id', 'department'], []);
    var p = table.position;
    var seen = new Map();
    return table.rows.map(function (r) {
      var id = poolCell(r.row, 'id', r.fields[p.id]);
      var department = poolCell(r.row, 'department', r.fields[p.department]);
      if (seen.has(id)) {
        throw rowError(r.row, 'id', 'duplicate inspector id ' + quote(id) + ', also on row ' + seen.get(id),
          '检查人员 id ' + quote(id) + ' 重复，第 ' + seen.get(id) + ' 行也有');
      }
      seen.set(id, r.row);
      return { id: id, department: department };
    });
  }

  /** The recusals (回避): CSV `inspector_id,target_id`. Returns `[{inspector_id, target_id}]`. */
  function parseRecusalsCsv(text) {
    var table = readTable(text, ['inspector_id', 'target_id'], []);
    var p = table.position;
    return table.rows.map(function (r) {
      return {
        inspector_id: poolCell(r.row, 'inspector_id', r.fields[p.inspector_id]),
        target_id: poolCell(r.row, 'target_id', r.fields[p.target_id]),
      };
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Drawing (protocol §2)

  /** The size rule as `{kind, value}`, checked for shape; quotas as a Map in byte order of names. */
  function readRule(rule) {
    var bad = SuijiError('the rule must be {"size": K}, {"ratio_bp": R} or {"quotas": {stratum: Q}}',
      '规则必须是 {"size": K}、{"ratio_bp": R} 或 {"quotas": {分层: Q}} 之一');
    if (!isPlainObject(rule)) throw bad;
    var keys = Object.keys(rule);
    if (keys.length !== 1) throw bad;
    var value = rule[keys[0]];
    if (keys[0] === 'size' && isCount(value)) return { kind: 'size', value: value };
    if (keys[0] === 'ratio_bp' && isCount(value) && value <= 4294967295) return { kind: 'ratio_bp', value: value };
    if (keys[0] === 'quotas' && isPlainObject(value)) {
      var names = Object.keys(value).sort(compareUtf8);
      var quotas = new Map();
      names.forEach(function (name) {
        if (!isCount(value[name])) throw bad;
        quotas.set(name, value[name]);
      });
      return { kind: 'quotas', value: quotas };
    }
    throw bad;
  }

  /** The rule as the document records it (quotas in name order, as the engine writes them). */
  function ruleJson(rule) {
    var out = {};
    if (rule.kind === 'quotas') {
      var quotas = {};
      rule.value.forEach(function (q, name) {
        setOwn(quotas, name, q);
      });
      out.quotas = quotas;
    } else {
      out[rule.kind] = rule.value;
    }
    return out;
  }

  /** How many entities the rule selects from N (ratio: ceil(N × R / 10000), in exact integers). */
  function ruleCount(rule, n) {
    if (rule.kind === 'size') return rule.value;
    if (rule.kind === 'ratio_bp') {
      var product = n * rule.value; // below 2^53 for any population a browser can hold
      return (product - (product % RATIO_BP_FULL)) / RATIO_BP_FULL + (product % RATIO_BP_FULL ? 1 : 0);
    }
    var total = 0;
    rule.value.forEach(function (q) {
      total += q;
    });
    return total;
  }

  /** Refuses a rule the population cannot serve, before any ticket is computed (engine's order). */
  function checkRule(population, rule) {
    var n = population.entities.length;
    if (n === 0) throw SuijiError('the population is empty', '总体为空');
    if (rule.kind === 'size') {
      if (rule.value === 0) throw SuijiError('size must be at least 1', '抽取数量至少为 1');
      if (rule.value > n) {
        throw SuijiError('size ' + rule.value + ' is larger than the population (' + n + ' entities)',
          '抽取数量 ' + rule.value + ' 大于总体（' + n + ' 个）');
      }
    } else if (rule.kind === 'ratio_bp') {
      if (rule.value < 1 || rule.value > RATIO_BP_FULL) {
        throw SuijiError('ratio must be from 1 to ' + RATIO_BP_FULL + ' basis points, found ' + rule.value,
          '比例必须在 1 到 ' + RATIO_BP_FULL + ' 个基点之间，实际为 ' + rule.value);
      }
    } else {
      if (rule.value.size === 0) throw SuijiError('quotas name no stratum', '配额没有指定任何分层');
      var available = new Map();
      population.entities.forEach(function (e) {
        available.set(e.stratum, (available.get(e.stratum) || 0) + 1);
      });
      rule.value.forEach(function (quota, stratum) {
        if (quota === 0) {
          throw SuijiError('quota for stratum ' + quote(stratum) + ' must be at least 1',
            '分层 ' + quote(stratum) + ' 的配额至少为 1');
        }
        var has = available.get(stratum) || 0;
        if (has < quota) {
          throw SuijiError('quota of ' + quota + ' for stratum ' + quote(stratum) +
            ' cannot be filled: it has ' + has + ' entities',
          '分层 ' + quote(stratum) + ' 的配额 ' + quota + ' 无法满足：只有 ' + has + ' 个');
        }
      });
    }
  }

  /**
   * The ranking (protocol §2, steps 1–3): each entity's key is the smallest of the tickets of its
   * names `id`, `id#2` … `id#weight`; entities sorted by key, ties by ticket name. Returns
   * `[{entity, ticket, name}]` in ranking order. Names are hashed in bounded batches.
   */
  function rankEntities(population, seed, onProgress) {
    var entities = population.entities;
    var total = 0;
    entities.forEach(function (e) {
      total += e.weight;
    });
    var best = new Array(entities.length);
    var done = 0;
    // Where the next batch starts: entity `at`, its copy `copy`.
    var at = 0;
    var copy = 1;
    return ticketHasher(seed).then(function (hasher) {
      var step = function () {
        if (at >= entities.length) return null;
        var names = [];
        var owners = [];
        while (at < entities.length && names.length < BATCH) {
          var e = entities[at];
          names.push(copy === 1 ? e.id : e.id + '#' + copy);
          owners.push(at);
          if (++copy > e.weight) {
            at++;
            copy = 1;
          }
        }
        return hasher.tickets(names).then(function (tickets) {
          for (var k = 0; k < names.length; k++) {
            var b = best[owners[k]];
            if (!b || compareTickets(tickets[k], names[k], b.ticket, b.name) < 0) {
              best[owners[k]] = { entity: entities[owners[k]], ticket: tickets[k], name: names[k] };
            }
          }
          done += names.length;
          if (onProgress) onProgress({ phase: 'tickets', done: done, total: total });
          return step();
        });
      };
      if (onProgress) onProgress({ phase: 'tickets', done: 0, total: total });
      return step();
    }).then(function () {
      best.sort(function (a, b) {
        return compareTickets(a.ticket, a.name, b.ticket, b.name);
      });
      return best;
    });
  }

  /** A document entry: the engine writes rank, id, ticket, ticket_name, stratum. */
  function selection(rank, key) {
    return { rank: rank, id: key.entity.id, ticket: key.ticket, ticket_name: key.name, stratum: key.entity.stratum };
  }

  /**
   * Draws from `rows` with `seed` by `rule`, and ranks `reserveCount` more entities after the
   * selection (the reserve, protocol §2 step 5). Returns the `suiji-draw/1` document.
   */
  function draw(rows, seed, rule, reserveCount, onProgress) {
    return Promise.resolve().then(function () {
      return drawPopulation(buildPopulation(rows, ENTRIES), seed, rule, reserveCount, onProgress, null);
    });
  }

  /** `draw` on a checked population; `knownSha256` saves hashing the commitment again. */
  function drawPopulation(population, seed, rule, reserveCount, onProgress, knownSha256) {
    if (typeof seed !== 'string') throw SuijiError('the seed must be a string', '种子必须是字符串');
    var sizeRule = readRule(rule);
    var reserve = reserveCount === undefined || reserveCount === null ? 0 : reserveCount;
    if (!isCount(reserve)) throw SuijiError('the reserve must be a whole number', '备选数量必须是非负整数');
    checkRule(population, sizeRule);
    var n = population.entities.length;
    var count = ruleCount(sizeRule, n);
    if (reserve > n - count) {
      throw SuijiError('reserve of ' + reserve + ' is more than the ' + (n - count) +
        ' entities left after the selection',
      '备选 ' + reserve + ' 个多于抽取后剩余的 ' + (n - count) + ' 个');
    }
    // The commitment and the tickets do not depend on each other: hash them side by side.
    return Promise.all([
      knownSha256 || sha256Hex(commitmentText(population)),
      rankEntities(population, seed, onProgress),
    ]).then(function (results) {
      var ranking = results[1];
      var selected = [];
      var reserved = [];
      if (sizeRule.kind === 'quotas') {
        // Walk the ranking: take an entity while its stratum still has quota; the reserve is
        // the first `reserve` entities passed over, of any stratum.
        var left = new Map(sizeRule.value);
        for (var i = 0; i < ranking.length && (selected.length < count || reserved.length < reserve); i++) {
          var stratum = ranking[i].entity.stratum;
          if ((left.get(stratum) || 0) > 0) {
            left.set(stratum, left.get(stratum) - 1);
            selected.push(ranking[i]);
          } else if (reserved.length < reserve) {
            reserved.push(ranking[i]);
          }
        }
      } else {
        selected = ranking.slice(0, count);
        reserved = ranking.slice(count, count + reserve);
      }
      var document = {
        protocol: DRAW_PROTOCOL,
        seed: seed,
        population_sha256: results[0],
        population_size: n,
        rule: ruleJson(sizeRule),
        selected: selected.map(function (key, i) {
          return selection(i + 1, key);
        }),
      };
      if (reserved.length > 0) {
        document.reserve = reserved.map(function (key, i) {
          return selection(count + i + 1, key);
        });
      }
      return document;
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Assigning inspectors (protocol §3)

  /** Lowercase hex SHA-256 of lines sorted in byte order, repeats removed (crates/draw assign.rs). */
  function sortedLinesSha256(lines) {
    lines.sort(compareUtf8);
    var unique = lines.filter(function (line, i) {
      return i === 0 || line !== lines[i - 1];
    });
    return sha256Hex(unique.join(''));
  }

  /** The commitment to an inspector pool: `id TAB department LF` per inspector, sorted. */
  function inspectorsSha256(inspectors) {
    return Promise.resolve().then(function () {
      checkList(inspectors, ['id', 'department'], 'inspectors', '检查人员');
      return sortedLinesSha256(inspectors.map(function (i) {
        return i.id + '\t' + i.department + '\n';
      }));
    });
  }

  /** The commitment to recusals: `inspector_id TAB target_id LF`, sorted, without repeats. */
  function recusalsSha256(recusals) {
    return Promise.resolve().then(function () {
      checkList(recusals, ['inspector_id', 'target_id'], 'recusals', '回避名单');
      return sortedLinesSha256(recusals.map(function (r) {
        return r.inspector_id + '\t' + r.target_id + '\n';
      }));
    });
  }

  /** Every element of `list` is an object whose `fields` are strings. */
  function checkList(list, fields, en, zh) {
    var ok = Array.isArray(list) && list.every(function (item) {
      return isPlainObject(item) && fields.every(function (f) {
        return typeof item[f] === 'string';
      });
    });
    if (!ok) {
      throw SuijiError(en + ' must be a list of {' + fields.join(', ') + '} with text values',
        zh + '必须是 {' + fields.join(', ') + '} 的列表，值为文本');
    }
  }

  /** The team rule of assignment parameters: `{size, requirements: [[department|null, count]]}`. */
  function readTeamRule(params) {
    params = params || {};
    var require = params.require === undefined ? null : params.require;
    if (require !== null) {
      if (!isPlainObject(require)) {
        throw SuijiError('require must be an object {department: count}', 'require 必须是 {部门: 人数}');
      }
      var departments = Object.keys(require).sort(compareUtf8); // the engine's BTreeMap order
      var size = 0;
      var requirements = departments.map(function (d) {
        if (!isCount(require[d])) {
          throw SuijiError('require must be an object {department: count}', 'require 必须是 {部门: 人数}');
        }
        size += require[d];
        return [d, require[d]];
      });
      return { size: size, requirements: requirements, require: require };
    }
    if (!isCount(params.team_size)) {
      throw SuijiError('team_size must be a whole number', 'team_size 必须是非负整数');
    }
    return { size: params.team_size, requirements: [[null, params.team_size]], require: null };
  }

  /** Refuses a pool or rule that cannot work, before anyone is assigned (engine's check_pool). */
  function checkPool(inspectors, recusals, rule, maxLoad) {
    if (rule.size < MIN_TEAM_SIZE) {
      throw SuijiError('a team needs at least ' + MIN_TEAM_SIZE + ' inspectors, the rule asks for ' + rule.size,
        '每组至少需要 ' + MIN_TEAM_SIZE + ' 名检查人员，规则要求 ' + rule.size + ' 名');
    }
    if (maxLoad === 0) throw SuijiError('maximum load must be at least 1', '每人最多任务数至少为 1');
    var fields = [];
    inspectors.forEach(function (i) {
      fields.push(i.id, i.department);
    });
    recusals.forEach(function (r) {
      fields.push(r.inspector_id, r.target_id);
    });
    fields.forEach(function (f) {
      if (CONTROL.test(f)) {
        throw SuijiError(quote(f) + ' contains a control character (tab, line break…)',
          quote(f) + ' 含有控制字符（制表符、换行等）');
      }
    });
    var ids = new Set();
    var perDepartment = new Map();
    inspectors.forEach(function (i) {
      if (ids.has(i.id)) throw SuijiError('duplicate inspector id ' + quote(i.id), '检查人员 id ' + quote(i.id) + ' 重复');
      ids.add(i.id);
      if (i.department === '' && rule.require !== null) {
        throw SuijiError('inspector ' + quote(i.id) + ' has no department', '检查人员 ' + quote(i.id) + ' 没有部门');
      }
      perDepartment.set(i.department, (perDepartment.get(i.department) || 0) + 1);
    });
    if (rule.require === null) {
      if (inspectors.length < rule.size) {
        throw SuijiError('the pool has ' + inspectors.length + ' inspectors, a team needs ' + rule.size,
          '人员库只有 ' + inspectors.length + ' 人，每组需要 ' + rule.size + ' 人');
      }
      return;
    }
    rule.requirements.forEach(function (r) {
      var department = r[0];
      var needed = r[1];
      if (needed === 0) {
        throw SuijiError('department ' + quote(department) + ' is required with 0 inspectors',
          '部门 ' + quote(department) + ' 要求的人数为 0');
      }
      var available = perDepartment.get(department) || 0;
      if (available < needed) {
        throw SuijiError('department ' + quote(department) + ' has ' + available + ' inspectors, a team needs ' + needed,
          '部门 ' + quote(department) + ' 只有 ' + available + ' 人，每组需要 ' + needed + ' 人');
      }
    });
  }

  /**
   * Assigns a team to every selected target of `drawDoc`, in rank order (protocol §3). `params`
   * is `{team_size, require, max_load}` (`require` null or `{department: count}`, `max_load`
   * null or a number). Returns the `suiji-assign/1` document, or throws — naming the target when
   * a team cannot be filled (`not enough inspectors for <id>`).
   */
  function assign(drawDoc, inspectors, recusals, params) {
    return Promise.resolve().then(function () {
      if (!isPlainObject(drawDoc) || typeof drawDoc.seed !== 'string' || !Array.isArray(drawDoc.selected) ||
        !drawDoc.selected.every(function (s) {
          return isPlainObject(s) && typeof s.id === 'string';
        })) {
        throw SuijiError('the draw document has no seed or no selected targets', '抽取结果缺少种子或入选名单');
      }
      recusals = recusals || [];
      checkList(inspectors, ['id', 'department'], 'inspectors', '检查人员');
      checkList(recusals, ['inspector_id', 'target_id'], 'recusals', '回避名单');
      var rule = readTeamRule(params);
      var maxLoad = params && params.max_load !== undefined ? params.max_load : null;
      if (maxLoad !== null && !isCount(maxLoad)) {
        throw SuijiError('max_load must be a whole number', 'max_load 必须是非负整数');
      }
      checkPool(inspectors, recusals, rule, maxLoad);
      // Control characters were refused above, so a tab cannot occur inside either id.
      var recused = new Set(recusals.map(function (r) {
        return r.inspector_id + '\t' + r.target_id;
      }));
      var seed = drawDoc.seed;
      var targets = drawDoc.selected.map(function (s) {
        return s.id;
      });
      var ids = inspectors.map(function (i) {
        return i.id;
      });
      var load = inspectors.map(function () {
        return 0;
      });
      var teams = [];
      // Tickets do not depend on loads, so a chunk of targets' tickets are hashed together;
      // the teams are then made one target at a time, in rank order, as loads change.
      var perChunk = Math.max(1, Math.floor(BATCH / Math.max(1, ids.length)));
      var chunkAt = 0;
      var nextChunk = function () {
        if (chunkAt >= targets.length) return null;
        var chunk = targets.slice(chunkAt, chunkAt + perChunk);
        chunkAt += chunk.length;
        return Promise.all(chunk.map(function (t) {
          return ticketHasher(seed + '/' + t).then(function (hasher) {
            return hasher.tickets(ids);
          });
        })).then(function (tables) {
          chunk.forEach(function (t, c) {
            teams.push({ target: t, inspectors: makeTeam(t, tables[c]) });
          });
          return nextChunk();
        });
      };
      var makeTeam = function (t, tickets) {
        var team = [];
        rule.requirements.forEach(function (requirement) {
          var department = requirement[0];
          var count = requirement[1];
          var candidates = [];
          inspectors.forEach(function (insp, i) {
            if ((department === null || insp.department === department) &&
              !recused.has(insp.id + '\t' + t) &&
              (maxLoad === null || load[i] < maxLoad) &&
              team.indexOf(i) < 0) {
              candidates.push(i);
            }
          });
          if (candidates.length < count) {
            throw SuijiError('not enough inspectors for ' + t, '可分配给 ' + t + ' 的检查人员不够');
          }
          // By load, then by ticket, then by id (protocol §3, step 3).
          candidates.sort(function (a, b) {
            if (load[a] !== load[b]) return load[a] - load[b];
            return compareTickets(tickets[a], ids[a], tickets[b], ids[b]);
          });
          team.push.apply(team, candidates.slice(0, count));
        });
        team.forEach(function (i) {
          load[i]++;
        });
        return team.map(function (i) {
          return ids[i];
        });
      };
      return Promise.all([nextChunk(), inspectorsSha256(inspectors), recusalsSha256(recusals)]).then(function (r) {
        var document = { protocol: ASSIGN_PROTOCOL, seed: seed, team_size: rule.size };
        if (rule.require !== null) {
          var require = {};
          rule.requirements.forEach(function (req) {
            setOwn(require, req[0], req[1]);
          });
          document.require = require;
        }
        if (maxLoad !== null) document.max_load = maxLoad;
        document.inspectors_sha256 = r[1];
        document.recusals_sha256 = r[2];
        document.teams = teams;
        return document;
      });
    });
  }

  // ---------------------------------------------------------------------------------------------
  // Verifying published documents: recompute, and name the first difference

  /** A failed check: "中文 (English)". */
  function differs(zh, en, checks) {
    return { ok: false, difference: zh + ' (' + en + ')', checks: checks };
  }

  var SELECTION_FIELDS = ['rank', 'id', 'ticket', 'ticket_name', 'stratum'];
  var FIELD_NAMES = {
    rank: ['名次', 'rank'], ticket: ['票号', 'ticket'], ticket_name: ['票名', 'name'], stratum: ['分层', 'stratum'],
  };

  function sameSelection(a, b) {
    return SELECTION_FIELDS.every(function (f) {
      return a[f] === b[f];
    });
  }

  /**
   * One side of a rank difference, [zh, en]: the id, and when both sides have the same id, the
   * first field that differs (a changed ticket is otherwise invisible).
   */
  function describeSelection(s, other) {
    if (!isPlainObject(s)) return ['无', 'nothing'];
    var id = String(s.id);
    if (!isPlainObject(other) || s.id !== other.id) return [id, id];
    for (var k = 0; k < SELECTION_FIELDS.length; k++) {
      var f = SELECTION_FIELDS[k];
      if (f !== 'id' && s[f] !== other[f]) {
        var value = f === 'stratum' ? quote(s[f]) : String(s[f]);
        return [id + '（' + FIELD_NAMES[f][0] + ' ' + value + '）', id + ' (' + FIELD_NAMES[f][1] + ' ' + value + ')'];
      }
    }
    return [id, id];
  }

  /** The first entry where the published list and the recomputed one differ, or null. */
  function firstRankDifference(list, published, recomputed, checks) {
    for (var i = 0; i < Math.max(published.length, recomputed.length); i++) {
      var d = published[i];
      var r = recomputed[i];
      if (d && r && isPlainObject(d) && sameSelection(d, r)) continue;
      var rank = r ? r.rank : isPlainObject(d) ? d.rank : i + 1;
      var dd = describeSelection(d, r);
      var rr = describeSelection(r, d);
      if (list === 'selected') {
        return differs('第 ' + rank + ' 名不同：公布的是 ' + dd[0] + '，重算得到 ' + rr[0],
          'rank ' + rank + ' differs: published ' + dd[1] + ', recomputed ' + rr[1], checks);
      }
      return differs('备选第 ' + rank + ' 名不同：公布的是 ' + dd[0] + '，重算得到 ' + rr[0],
        'reserve rank ' + rank + ' differs: published ' + dd[1] + ', recomputed ' + rr[1], checks);
    }
    return null;
  }

  /** The shape a published draw document must have to be recomputed at all. */
  function drawShapeProblem(doc) {
    if (!isPlainObject(doc)) return 'not a JSON object';
    var expect = { protocol: 'string', seed: 'string', population_sha256: 'string', population_size: 'number' };
    for (var f in expect) {
      if (typeof doc[f] !== expect[f]) return 'field ' + quote(f) + ' is missing or not a ' + expect[f];
    }
    if (!isPlainObject(doc.rule)) return 'field "rule" is missing or not an object';
    if (!Array.isArray(doc.selected)) return 'field "selected" is missing or not a list';
    if (doc.reserve !== undefined && !Array.isArray(doc.reserve)) return 'field "reserve" is not a list';
    return null;
  }

  /**
   * Recomputes a published draw from its population rows, with the document's own seed, rule and
   * reserve length. Checks, in the engine's order: protocol, population size, population hash,
   * then rank by rank the selection, then the reserve. Input problems (a malformed population or
   * document) are reported as a difference too; only bugs throw.
   */
  function verifyDraw(doc, rows, onProgress) {
    var checks = [];
    return Promise.resolve().then(function () {
      var shape = drawShapeProblem(doc);
      if (shape) return differs('这不是抽取结果文件', 'not a ' + DRAW_PROTOCOL + ' document: ' + shape, checks);
      if (doc.protocol !== DRAW_PROTOCOL) {
        return differs('协议不同：文件写的是 ' + quote(doc.protocol) + '，本工具检查 ' + quote(DRAW_PROTOCOL),
          'protocol is ' + quote(doc.protocol) + ', this tool checks ' + quote(DRAW_PROTOCOL), checks);
      }
      checks.push('协议 ' + DRAW_PROTOCOL + ' (protocol ' + DRAW_PROTOCOL + ')');
      var population = buildPopulation(rows, ENTRIES);
      var size = population.entities.length;
      if (doc.population_size !== size) {
        return differs('总体数量不同：公布的是 ' + doc.population_size + '，总体文件有 ' + size + ' 个',
          'population size differs: the document says ' + doc.population_size +
          ', the population file has ' + size, checks);
      }
      checks.push('总体数量一致：' + size + ' 个 (population_size ' + size + ')');
      return sha256Hex(commitmentText(population)).then(function (sha) {
        if (doc.population_sha256 !== sha) {
          return differs('总体哈希不同：公布的是 ' + doc.population_sha256 + '，总体文件的哈希是 ' + sha,
            'population hash differs: the document says ' + doc.population_sha256 +
            ', the population file hashes to ' + sha, checks);
        }
        checks.push('总体哈希一致 (population_sha256 ' + sha + ')');
        var reserve = doc.reserve ? doc.reserve.length : 0;
        return Promise.resolve().then(function () {
          return drawPopulation(population, doc.seed, doc.rule, reserve, onProgress, sha);
        }).then(function (recomputed) {
          var selected = doc.selected;
          var d = firstRankDifference('selected', selected, recomputed.selected, checks);
          if (d) return d;
          checks.push('抽取结果 ' + selected.length + ' 名与重算一致 (' + selected.length +
            ' selected match the recomputation with seed ' + quote(doc.seed) + ')');
          var reserved = doc.reserve || [];
          d = firstRankDifference('reserve', reserved, recomputed.reserve || [], checks);
          if (d) return d;
          if (reserved.length > 0) {
            checks.push('备选 ' + reserved.length + ' 名与重算一致 (' + reserved.length + ' reserve match)');
          }
          return { ok: true, checks: checks };
        }, function (e) {
          if (!e || !e.suiji) throw e;
          return differs('无法重算抽取：' + e.zh, 'the draw cannot be recomputed: ' + e.message, checks);
        });
      });
    }).catch(function (e) {
      if (!e || !e.suiji) throw e;
      return differs('无法核验：' + e.zh, 'cannot verify: ' + e.message, checks);
    });
  }

  function showTeam(t) {
    if (!isPlainObject(t)) return ['无', 'nothing'];
    var text = String(t.target) + ': ' + (Array.isArray(t.inspectors) ? t.inspectors.join(', ') : String(t.inspectors));
    return [text, text];
  }

  function sameTeam(a, b) {
    return isPlainObject(a) && isPlainObject(b) && a.target === b.target &&
      Array.isArray(a.inspectors) && Array.isArray(b.inspectors) &&
      a.inspectors.length === b.inspectors.length &&
      a.inspectors.every(function (x, i) {
        return x === b.inspectors[i];
      });
  }

  /**
   * Recomputes a published assignment from the (already verified) draw document and the pool.
   * Checks, in the engine's order: protocol, seed (must be the draw's), pool hash, recusals hash,
   * team size against its rule, then team by team.
   */
  function verifyAssignment(doc, drawDoc, inspectors, recusals) {
    var checks = [];
    recusals = recusals || [];
    return Promise.resolve().then(function () {
      if (!isPlainObject(doc) || typeof doc.protocol !== 'string' || typeof doc.seed !== 'string' ||
        !Array.isArray(doc.teams) || typeof doc.inspectors_sha256 !== 'string' ||
        typeof doc.recusals_sha256 !== 'string' || typeof doc.team_size !== 'number') {
        return differs('这不是检查人员分配结果文件', 'not a ' + ASSIGN_PROTOCOL + ' document', checks);
      }
      if (doc.protocol !== ASSIGN_PROTOCOL) {
        return differs('协议不同：文件写的是 ' + quote(doc.protocol) + '，本工具检查 ' + quote(ASSIGN_PROTOCOL),
          'protocol is ' + quote(doc.protocol) + ', this tool checks ' + quote(ASSIGN_PROTOCOL), checks);
      }
      checks.push('协议 ' + ASSIGN_PROTOCOL + ' (protocol ' + ASSIGN_PROTOCOL + ')');
      if (!isPlainObject(drawDoc) || doc.seed !== drawDoc.seed) {
        var drawSeed = isPlainObject(drawDoc) ? drawDoc.seed : undefined;
        return differs('分配的种子 ' + quote(doc.seed) + ' 不是抽取的种子 ' + quote(drawSeed),
          "the assignment's seed " + quote(doc.seed) + " is not the draw's seed " + quote(drawSeed), checks);
      }
      checks.push('分配的种子与抽取一致 (seed ' + quote(doc.seed) + ')');
      return Promise.all([inspectorsSha256(inspectors), recusalsSha256(recusals)]).then(function (hashes) {
        if (doc.inspectors_sha256 !== hashes[0]) {
          return differs('检查人员名单哈希不同：公布的是 ' + doc.inspectors_sha256 + '，名单文件的哈希是 ' + hashes[0],
            'inspector pool hash differs: the document says ' + doc.inspectors_sha256 +
            ', the inspectors file hashes to ' + hashes[0], checks);
        }
        checks.push('检查人员名单哈希一致 (inspectors_sha256 ' + hashes[0] + ')');
        if (doc.recusals_sha256 !== hashes[1]) {
          return differs('回避名单哈希不同：公布的是 ' + doc.recusals_sha256 + '，回避名单的哈希是 ' + hashes[1],
            'recusals hash differs: the document says ' + doc.recusals_sha256 +
            ', the recusals given hash to ' + hashes[1], checks);
        }
        checks.push('回避名单哈希一致 (recusals_sha256 ' + hashes[1] + ')');
        var params = {
          team_size: doc.team_size,
          require: doc.require === undefined ? null : doc.require,
          max_load: doc.max_load === undefined ? null : doc.max_load,
        };
        var rule = readTeamRule(params);
        if (rule.size !== doc.team_size) {
          return differs('每组人数不同：公布的是 ' + doc.team_size + '，按其规则应为 ' + rule.size,
            'team size differs: the document says ' + doc.team_size + ', its rule gives ' + rule.size, checks);
        }
        return assign(drawDoc, inspectors, recusals, params).then(function (recomputed) {
          var teams = doc.teams;
          for (var i = 0; i < Math.max(teams.length, recomputed.teams.length); i++) {
            if (sameTeam(teams[i], recomputed.teams[i])) continue;
            var d = showTeam(teams[i]);
            var r = showTeam(recomputed.teams[i]);
            return differs('第 ' + (i + 1) + ' 组不同：公布的是 ' + d[0] + '，重算得到 ' + r[0],
              'team ' + (i + 1) + ' differs: published ' + d[1] + ', recomputed ' + r[1], checks);
          }
          checks.push(teams.length + ' 组检查人员与重算一致 (' + teams.length + ' teams match the recomputation)');
          return { ok: true, checks: checks };
        }, function (e) {
          if (!e || !e.suiji) throw e;
          return differs('无法重算分配：' + e.zh, 'the assignment cannot be recomputed: ' + e.message, checks);
        });
      });
    }).catch(function (e) {
      if (!e || !e.suiji) throw e;
      return differs('无法核验：' + e.zh, 'cannot verify: ' + e.message, checks);
    });
  }

  // ---------------------------------------------------------------------------------------------
  // The public verify page

  /**
   * Fetches a same-origin URL as text. Only the page's own origin is read: the page's
   * Content-Security-Policy says so too, but a clear message beats a blocked request.
   * The text is decoded strictly as UTF-8 (a byte-order mark is dropped).
   */
  function fetchText(url, what) {
    var target = new URL(url, root.document ? root.document.baseURI : undefined);
    if (root.location && target.origin !== root.location.origin) {
      return Promise.reject(SuijiError(what.en + ' is not on this site: ' + target.href,
        what.zh + '不在本站：' + target.href));
    }
    return root.fetch(target.href, { credentials: 'same-origin' }).then(function (response) {
      if (!response.ok) {
        throw SuijiError('cannot fetch the ' + what.en + ': HTTP ' + response.status,
          '无法获取' + what.zh + '：HTTP ' + response.status);
      }
      return response.arrayBuffer();
    }, function (e) {
      throw SuijiError('cannot fetch the ' + what.en + ': ' + e.message, '无法获取' + what.zh + '：' + e.message);
    }).then(function (buffer) {
      try {
        return new TextDecoder('utf-8', { fatal: true }).decode(buffer);
      } catch (e) {
        throw SuijiError('the ' + what.en + ' is not valid UTF-8', what.zh + '不是有效的 UTF-8');
      }
    });
  }

  function parseJson(text, what) {
    try {
      return JSON.parse(text);
    } catch (e) {
      throw SuijiError('the ' + what.en + ' is not valid JSON: ' + e.message, what.zh + '不是有效的 JSON：' + e.message);
    }
  }

  /** Runs `parse` on a file's text, saying which file a row error is in. */
  function parseFile(text, what, parse) {
    try {
      return parse(text);
    } catch (e) {
      if (!e || !e.suiji) throw e;
      throw SuijiError(what.en + ': ' + e.message, what.zh + '：' + e.zh);
    }
  }

  var FILES = {
    draw: { en: 'draw document', zh: '抽取结果' },
    population: { en: 'population file', zh: '总体文件' },
    assignment: { en: 'assignment document', zh: '分配结果' },
    inspectors: { en: 'inspectors file', zh: '检查人员名单' },
    recusals: { en: 'recusals file', zh: '回避名单' },
    targets: { en: 'targets after replacements', zh: '替换后的检查对象' },
    control: { en: 'control sample', zh: '对照样本' },
  };

  /**
   * Teams are assigned to the targets as they stand: the draw's own entries (some selected ones
   * left out when found gone, reserve ones taken in), then the control sample's, if the draw
   * has one. Each must be an unchanged entry of the verified draw, in rank order, then each an
   * unchanged entry of the control sample, in its rank order.
   */
  function checkTargets(targetsDoc, drawDoc, controlDoc) {
    var ranked = (drawDoc.selected || []).concat(drawDoc.reserve || []);
    var controls = controlDoc ? controlDoc.selected || [] : [];
    var entryOf = function (list, t) {
      return list.filter(function (s) {
        return s.rank === t.rank && s.id === t.id && s.ticket === t.ticket;
      }).length === 1;
    };
    var inControl = false;
    var inControlCount = 0;
    var last = 0;
    var list = targetsDoc.selected || [];
    for (var i = 0; i < list.length; i++) {
      var t = list[i];
      // A control entry ends the draw's own: its id is none of the draw's.
      if (!inControl && !entryOf(ranked, t) && entryOf(controls, t)) {
        inControl = true;
        last = 0;
      }
      if (!entryOf(inControl ? controls : ranked, t) || t.rank <= last || targetsDoc.seed !== drawDoc.seed) {
        return { ok: false, difference: '检查对象第 ' + (i + 1) + ' 项不是抽取结果（或对照样本）中的条目 (target ' + (i + 1) + ' is not an entry of the draw or of its control sample)' };
      }
      if (inControl) inControlCount++;
      last = t.rank;
    }
    var zh = '选派所依据的 ' + list.length + ' 个检查对象均来自抽取结果（含备选）' +
      (controlDoc ? '，其中 ' + inControlCount + ' 个来自对照样本' : '');
    return { ok: true, checks: [zh + ' (' + list.length + ' targets, each an entry of the draw' + (controlDoc ? ' or of its control sample' : '') + ')'] };
  }

  /**
   * The control sample (对照样本) beside a directed draw (protocol §2.9): drawn from the
   * population less the draw's selected and reserve entities, each with weight 1 and no stratum,
   * with the seed `<seed>/control`, by a size rule and no reserve. Re-drawn here from the same
   * population file: nothing of the server's is trusted but the published documents.
   */
  function verifyControl(controlDoc, drawDoc, rows, onProgress) {
    var seed = drawDoc.seed + '/control';
    if (!isPlainObject(controlDoc) || controlDoc.seed !== seed) {
      return Promise.resolve(differs('对照样本的种子应为 ' + quote(seed),
        'the control sample\'s seed should be ' + quote(seed), []));
    }
    var rule = controlDoc.rule;
    if (!isPlainObject(rule) || Object.keys(rule).length !== 1 || rule.size === undefined ||
        (Array.isArray(controlDoc.reserve) && controlDoc.reserve.length > 0)) {
      return Promise.resolve(differs('对照样本应按户数抽取、没有备选',
        'a control sample is drawn by a size rule with no reserve', []));
    }
    var drawn = Object.create(null);
    (drawDoc.selected || []).concat(drawDoc.reserve || []).forEach(function (s) {
      drawn[s.id] = true;
    });
    var left = rows.filter(function (r) {
      return !drawn[r.id];
    }).map(function (r) {
      return { id: r.id, weight: 1, stratum: '' };
    });
    return verifyDraw(controlDoc, left, onProgress).then(function (outcome) {
      var checks = (outcome.checks || []).map(function (c) {
        return '对照样本：' + c;
      });
      if (outcome.ok) {
        checks.unshift('对照样本的总体：总体文件去掉抽中与备选的 ' + Object.keys(drawn).length +
          ' 户，每户权重 1、不分层 (the control population: the population less the draw\'s entries, weight 1, no stratum)');
      }
      return { ok: outcome.ok, difference: outcome.ok ? undefined : '对照样本：' + outcome.difference, checks: checks };
    });
  }

  /** A population file is CSV; a JSON list of rows is taken too (it starts with `[`). */
  function parsePopulationFile(text) {
    if (/^\s*\[/.test(text)) return parseJson(text, FILES.population);
    return parseFile(text, FILES.population, parsePopulationCsv);
  }

  /**
   * Binds the public verify page. `element` carries `data-draw-url` and `data-population-url`,
   * and optionally `data-assignment-url`, `data-inspectors-url`, `data-recusals-url`. The outcome
   * goes into `#verify-result` (exactly "通过" with data-outcome="pass", or "不通过：" and the
   * first difference with data-outcome="fail"), the checks into `#verify-checks` (one <li>
   * each), progress into `#verify-progress`. With a `#verify-start` button, it runs on click;
   * otherwise at once. Only textContent is ever written: the data never becomes markup.
   */
  function mount(element) {
    var doc = element.ownerDocument || root.document;
    var find = function (id) {
      return element.querySelector('#' + id) || doc.getElementById(id);
    };
    var resultEl = find('verify-result');
    var checksEl = find('verify-checks');
    var progressEl = find('verify-progress');
    var button = find('verify-start');
    var running = false;

    var showProgress = function (zh, fraction) {
      if (!progressEl) return;
      if (progressEl.tagName === 'PROGRESS') {
        if (fraction === null) progressEl.removeAttribute('value');
        else {
          progressEl.max = 1;
          progressEl.value = fraction;
        }
        progressEl.textContent = zh;
      } else {
        progressEl.textContent = zh;
      }
    };
    var showChecks = function (checks) {
      if (!checksEl) return;
      while (checksEl.firstChild) checksEl.removeChild(checksEl.firstChild);
      checks.forEach(function (c) {
        var li = doc.createElement('li');
        li.textContent = c;
        checksEl.appendChild(li);
      });
    };
    var showResult = function (outcome, text) {
      if (!resultEl) return;
      resultEl.textContent = text;
      resultEl.setAttribute('data-outcome', outcome);
    };
    var onProgress = function (p) {
      var percent = p.total ? Math.floor((100 * p.done) / p.total) : 100;
      showProgress('正在计算票号：' + p.done + ' / ' + p.total + '（' + percent + '%）', p.total ? p.done / p.total : 1);
    };

    var run = function () {
      if (running) return Promise.resolve();
      running = true;
      if (button) button.disabled = true;
      showResult('running', '正在核验…');
      showChecks([]);
      showProgress('正在下载文件…', null);
      var url = function (name) {
        return element.getAttribute('data-' + name + '-url');
      };
      var checks = [];
      return Promise.resolve().then(function () {
        if (!url('draw') || !url('population')) {
          throw SuijiError('the page names no draw document or population file', '页面没有指明抽取结果或总体文件');
        }
        var optional = function (name) {
          return url(name) ? fetchText(url(name), FILES[name]) : Promise.resolve(null);
        };
        return Promise.all([
          fetchText(url('draw'), FILES.draw), fetchText(url('population'), FILES.population),
          optional('assignment'), optional('inspectors'), optional('recusals'), optional('targets'),
          optional('control'),
        ]);
      }).then(function (texts) {
        var drawDoc = parseJson(texts[0], FILES.draw);
        var rows = parsePopulationFile(texts[1]);
        var assignmentDoc = texts[2] === null ? null : parseJson(texts[2], FILES.assignment);
        if (assignmentDoc !== null && texts[3] === null) {
          throw SuijiError('the page names an assignment but no inspectors file', '页面给出了分配结果，却没有检查人员名单');
        }
        var inspectors = texts[3] === null ? null : parseFile(texts[3], FILES.inspectors, parseInspectorsCsv);
        var recusals = texts[4] === null ? [] : parseFile(texts[4], FILES.recusals, parseRecusalsCsv);
        var targetsDoc = texts[5] === null ? null : parseJson(texts[5], FILES.targets);
        var controlDoc = texts[6] === null ? null : parseJson(texts[6], FILES.control);
        return verifyDraw(drawDoc, rows, onProgress).then(function (outcome) {
          checks = checks.concat(outcome.checks || []);
          if (!outcome.ok || controlDoc === null) return outcome;
          showProgress('正在核验对照样本…', null);
          return verifyControl(controlDoc, drawDoc, rows, onProgress).then(function (c) {
            checks = checks.concat(c.checks || []);
            return c;
          });
        }).then(function (outcome) {
          if (!outcome.ok || assignmentDoc === null) return outcome;
          var teamsFrom = drawDoc;
          if (targetsDoc !== null) {
            var t = checkTargets(targetsDoc, drawDoc, controlDoc);
            if (!t.ok) return t;
            checks = checks.concat(t.checks);
            teamsFrom = targetsDoc;
          }
          showProgress('正在核验检查人员分配…', null);
          return verifyAssignment(assignmentDoc, teamsFrom, inspectors, recusals).then(function (a) {
            checks = checks.concat(a.checks || []);
            return a;
          });
        });
      }).then(function (outcome) {
        showChecks(checks);
        if (outcome.ok) showResult('pass', '通过');
        else showResult('fail', '不通过：' + outcome.difference);
      }, function (e) {
        showChecks(checks);
        showResult('fail', '不通过：' + bilingual(e));
      }).then(function () {
        showProgress('', 1);
        running = false;
        if (button) button.disabled = false;
      });
    };

    if (button) {
      button.addEventListener('click', function (event) {
        event.preventDefault();
        run();
      });
      return Promise.resolve();
    }
    return run();
  }

  var api = {
    DRAW_PROTOCOL: DRAW_PROTOCOL,
    ASSIGN_PROTOCOL: ASSIGN_PROTOCOL,
    ticket: ticket,
    populationSha256: populationSha256,
    inspectorsSha256: inspectorsSha256,
    recusalsSha256: recusalsSha256,
    parsePopulationCsv: parsePopulationCsv,
    parseInspectorsCsv: parseInspectorsCsv,
    parseRecusalsCsv: parseRecusalsCsv,
    draw: draw,
    assign: assign,
    verifyDraw: verifyDraw,
    verifyControl: verifyControl,
    checkTargets: checkTargets,
    verifyAssignment: verifyAssignment,
    mount: mount,
    compareUtf8: compareUtf8,
    bilingual: bilingual,
  };

  root.SuijiVerify = api;
  if (typeof module === 'object' && module && module.exports) module.exports = api;

  // The page loads this file with `defer` under a CSP without inline scripts: bind every
  // `[data-suiji-verify]` element once the document is parsed.
  if (root.document && typeof root.document.addEventListener === 'function') {
    var mounted = new WeakSet();
    var mountAll = function () {
      var elements = root.document.querySelectorAll('[data-suiji-verify]');
      Array.prototype.forEach.call(elements, function (el) {
        if (mounted.has(el)) return;
        mounted.add(el);
        mount(el);
      });
    };
    if (root.document.readyState === 'loading') root.document.addEventListener('DOMContentLoaded', mountAll);
    else mountAll();
  }
})(typeof globalThis !== 'undefined' ? globalThis : typeof window !== 'undefined' ? window : this);
