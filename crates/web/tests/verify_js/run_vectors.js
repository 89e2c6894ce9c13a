#!/usr/bin/env node
// Checks crates/web/static/verify.js — the browser's own implementation of the draw protocol —
// against the protocol's test vectors, in Node (20 or later: it has the same crypto.subtle).
//
//   node crates/web/tests/verify_js/run_vectors.js                 all crates/draw/tests/vectors/case-*.json
//   node crates/web/tests/verify_js/run_vectors.js FILE...         the vector files given
//   node crates/web/tests/verify_js/run_vectors.js --bench[=N]     also time a draw of N rows (100000)
//
// For each vector: the draw must equal `expect_draw` field for field (tickets byte for byte), the
// assignment must give `expect_assign`'s teams (or its error), the published draw must verify,
// and tampered copies must fail naming the changed rank or team. The helpers below recompute
// tickets and hashes with node:crypto, not with verify.js, so the two are checked against each
// other and not against themselves. Prints one line per case, then "N passed, M failed"; exits 1
// on any failure.

'use strict';

const fs = require('node:fs');
const path = require('node:path');
const nodeCrypto = require('node:crypto');

const V = require(path.resolve(__dirname, '../../static/verify.js'));
const VECTORS = path.resolve(__dirname, '../../../draw/tests/vectors');

// --- Independent references (node:crypto, Buffer order) ------------------------------------------

function refTicket(seed, name) {
  const h = nodeCrypto.createHash('sha256').update(seed, 'utf8').digest('hex');
  const d = nodeCrypto.createHash('sha256').update(h + name, 'utf8').digest('hex');
  const digits = BigInt('0x' + d).toString(10).padStart(64, '0');
  return '0.' + [...digits].reverse().join('');
}

/** SHA-256 of lines sorted by their UTF-8 bytes, repeats removed (the pool and recusal hashes). */
function refSortedLinesSha(lines) {
  const bufs = [...new Set(lines)].map((l) => Buffer.from(l, 'utf8')).sort(Buffer.compare);
  return nodeCrypto.createHash('sha256').update(Buffer.concat(bufs)).digest('hex');
}

// --- Comparing -------------------------------------------------------------------------------------

/** The first place where two JSON values differ (key order free), or null. */
function firstDifference(actual, expected, where = '$') {
  if (Array.isArray(expected)) {
    if (!Array.isArray(actual)) return `${where}: expected a list, got ${JSON.stringify(actual)}`;
    if (actual.length !== expected.length) {
      return `${where}: expected ${expected.length} entries, got ${actual.length}`;
    }
    for (let i = 0; i < expected.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${where}[${i}]`);
      if (d) return d;
    }
    return null;
  }
  if (expected !== null && typeof expected === 'object') {
    if (actual === null || typeof actual !== 'object' || Array.isArray(actual)) {
      return `${where}: expected an object, got ${JSON.stringify(actual)}`;
    }
    const keys = new Set([...Object.keys(expected), ...Object.keys(actual)]);
    for (const k of keys) {
      if (!(k in expected)) return `${where}.${k}: unexpected field ${JSON.stringify(actual[k])}`;
      if (!(k in actual)) return `${where}.${k}: missing`;
      const d = firstDifference(actual[k], expected[k], `${where}.${k}`);
      if (d) return d;
    }
    return null;
  }
  return actual === expected ? null : `${where}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

class Failure extends Error {}

function check(condition, message) {
  if (!condition) throw new Failure(message);
}

function same(actual, expected, what) {
  const d = firstDifference(actual, expected);
  if (d) throw new Failure(`${what}: ${d}`);
}

async function expectFailure(promise, what) {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Failure(`${what}: expected an error, got none`);
}

const clone = (v) => JSON.parse(JSON.stringify(v));

// --- One vector --------------------------------------------------------------------------------------

/** Population rows as a CSV file: BOM, CRLF, a blank line, quoted cells, columns reordered. */
function populationCsv(rows) {
  const cell = (s) => (/[",\r\n]/.test(s) || s.startsWith(' ') || /个/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = ['stratum,ID , Weight'];
  rows.forEach((r, i) => {
    lines.push(`${cell(r.stratum)},${cell(r.id)},${r.weight}`);
    if (i === 2) lines.push('');
  });
  return '\ufeff' + lines.join('\r\n') + '\r\n';
}

async function runCase(file) {
  const v = JSON.parse(fs.readFileSync(file, 'utf8'));
  const notes = [];

  // The draw, field for field.
  const drawn = await V.draw(v.population, v.seed, v.params, 0);
  same(drawn, v.expect_draw, 'draw');
  for (const s of drawn.selected) {
    check(s.ticket === refTicket(v.seed, s.ticket_name), `ticket of ${s.ticket_name} differs from node:crypto`);
  }
  check(drawn.population_sha256 === (await V.populationSha256(v.population)), 'populationSha256');
  notes.push(`draw ${drawn.selected.length}/${drawn.population_size}`);

  // The population as a CSV file reads back to the same rows.
  const parsed = V.parsePopulationCsv(populationCsv(v.population));
  same(parsed, v.population.map((r) => ({ id: r.id, weight: r.weight, stratum: r.stratum })), 'CSV round trip');

  // The assignment: teams and the recorded extras, or the expected error.
  const p = v.assign_params;
  const params = { team_size: p.team_size, require: p.require, max_load: p.max_load };
  if (v.expect_assign.error !== undefined) {
    const e = await expectFailure(V.assign(v.expect_draw, v.inspectors, v.recusals, params), 'assign');
    check(e.message === v.expect_assign.error, `assign error: expected ${JSON.stringify(v.expect_assign.error)}, got ${JSON.stringify(e.message)}`);
    notes.push(`assign error as expected`);
  } else {
    const assigned = await V.assign(v.expect_draw, v.inspectors, v.recusals, params);
    const extra = {
      require: assigned.require,
      max_load: assigned.max_load,
      inspectors_sha256: assigned.inspectors_sha256,
      recusals_sha256: assigned.recusals_sha256,
    };
    same(extra, {
      require: p.require === null ? undefined : p.require,
      max_load: p.max_load === null ? undefined : p.max_load,
      inspectors_sha256: refSortedLinesSha(v.inspectors.map((i) => `${i.id}\t${i.department}\n`)),
      recusals_sha256: refSortedLinesSha(v.recusals.map((r) => `${r.inspector_id}\t${r.target_id}\n`)),
    }, 'assignment extras');
    const core = { ...assigned };
    for (const k of Object.keys(extra)) delete core[k];
    same(core, v.expect_assign, 'assignment');
    notes.push(`assign ${assigned.teams.length} teams`);

    const ok = await V.verifyAssignment(assigned, v.expect_draw, v.inspectors, v.recusals);
    check(ok.ok, `verifyAssignment of the recomputed document: ${ok.difference}`);
    const tampered = clone(assigned);
    const last = tampered.teams.length - 1;
    tampered.teams[last].inspectors.reverse();
    const bad = await V.verifyAssignment(tampered, v.expect_draw, v.inspectors, v.recusals);
    check(!bad.ok && bad.difference.includes(`第 ${last + 1} 组`) && bad.difference.includes(`team ${last + 1} differs`),
      `a reordered team ${last + 1} was not named: ${JSON.stringify(bad)}`);
    const otherPool = await V.verifyAssignment(assigned, v.expect_draw, v.inspectors.slice(1), v.recusals);
    check(!otherPool.ok && otherPool.difference.includes('inspector pool hash differs'),
      `a changed pool was not named: ${JSON.stringify(otherPool)}`);
    notes.push('verify assign ok, tampered team caught');
  }

  // The published draw verifies; a swapped pair of ids and a changed ticket are named by rank.
  const verified = await V.verifyDraw(v.expect_draw, v.population);
  check(verified.ok, `verifyDraw: ${verified.difference}`);
  check(verified.checks.some((c) => c.startsWith('总体哈希一致')), 'verifyDraw checks name the population hash');
  const swapped = clone(v.expect_draw);
  const [a, b] = [swapped.selected[0], swapped.selected[1]];
  [a.id, b.id] = [b.id, a.id];
  const swap = await V.verifyDraw(swapped, v.population);
  check(!swap.ok && swap.difference.startsWith('第 1 名不同：公布的是 ' + a.id) && swap.difference.includes('(rank 1 differs: published'),
    `swapped ids not named as rank 1: ${JSON.stringify(swap)}`);
  const changed = clone(v.expect_draw);
  const n = changed.selected.length;
  changed.selected[n - 1].ticket = changed.selected[n - 1].ticket.replace(/.$/, (d) => String((Number(d) + 1) % 10));
  const ticketDiff = await V.verifyDraw(changed, v.population);
  check(!ticketDiff.ok && ticketDiff.difference.startsWith(`第 ${n} 名不同`) && ticketDiff.difference.includes('票号'),
    `a changed ticket at rank ${n} was not named: ${JSON.stringify(ticketDiff)}`);
  const fewer = await V.verifyDraw(v.expect_draw, v.population.slice(1));
  check(!fewer.ok && fewer.difference.startsWith('总体数量不同'), `a smaller population was not named: ${JSON.stringify(fewer)}`);
  const reweighted = clone(v.population);
  reweighted[0].weight += 1;
  const hashDiff = await V.verifyDraw(v.expect_draw, reweighted);
  check(!hashDiff.ok && hashDiff.difference.startsWith('总体哈希不同'), `a changed weight was not named: ${JSON.stringify(hashDiff)}`);
  notes.push('verify draw ok, tampering caught');

  // A reserve continues the ranking: the next entities not selected.
  const left = drawn.population_size - drawn.selected.length;
  const r = Math.min(3, left);
  if (r > 0) {
    const withReserve = await V.draw(v.population, v.seed, v.params, r);
    same(withReserve.selected, drawn.selected, 'selection with a reserve');
    const full = await V.draw(v.population, v.seed, { size: drawn.population_size }, 0);
    const chosen = new Set(drawn.selected.map((s) => s.id));
    const next = full.selected.filter((s) => !chosen.has(s.id)).slice(0, r);
    same(withReserve.reserve.map((s) => s.id), next.map((s) => s.id), 'reserve ids');
    same(withReserve.reserve.map((s) => s.rank), next.map((_, i) => drawn.selected.length + i + 1), 'reserve ranks');
    check((await V.verifyDraw(withReserve, v.population)).ok, 'verifyDraw with a reserve');
    // The reserve's length is the document's own (as in the engine): a shorter one is not a
    // difference, another entity in it is.
    const shorter = clone(withReserve);
    shorter.reserve.pop();
    check((await V.verifyDraw(shorter, v.population)).ok === (r > 1), 'a shorter reserve verifies');
    const badReserve = clone(withReserve);
    badReserve.reserve[r - 1].id = drawn.selected[0].id;
    const rd = await V.verifyDraw(badReserve, v.population);
    check(!rd.ok && rd.difference.startsWith(`备选第 ${drawn.selected.length + r} 名不同`) &&
      rd.difference.includes(`reserve rank ${drawn.selected.length + r} differs`), `a changed reserve entry: ${JSON.stringify(rd)}`);
    notes.push(`reserve ${r} ok`);
  }
  return notes.join(', ');
}

// --- Checks that are not about one vector ------------------------------------------------------------

async function generalChecks() {
  // docs/draw-protocol.md §1, worked examples.
  check((await V.ticket('01382438112797316654', 'AB-130')) ===
    '0.26299714122838008416507544297546663599715395525154425586041245287750224561854', 'worked example 1');
  check((await V.ticket('2026112201234567890/LY-2026-003', '91410307MA9XXXXXXX')) ===
    '0.2167166094550195319076601626419395782258778555440930614941997306571461086812', 'worked example 2');

  // Tickets against node:crypto, for names short, long (more than one block), CJK and astral.
  const alphabet = ['A', '9', '-', '#', '个', '体', 'é', '😀', '\ue000', ' ', '/'];
  let seed = 1;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648;
  const randomText = (max) => Array.from({ length: Math.floor(random() * max) }, () => alphabet[Math.floor(random() * alphabet.length)]).join('');
  for (let i = 0; i < 200; i++) {
    const s = randomText(30);
    const x = randomText(90);
    check((await V.ticket(s, x)) === refTicket(s, x), `ticket(${JSON.stringify(s)}, ${JSON.stringify(x)})`);
  }

  // Byte order, where UTF-16 order differs: U+E000 sorts before U+1F600 in UTF-8.
  for (let i = 0; i < 2000; i++) {
    const x = randomText(6);
    const y = randomText(6);
    const expected = Math.sign(Buffer.compare(Buffer.from(x), Buffer.from(y)));
    check(Math.sign(V.compareUtf8(x, y)) === expected, `compareUtf8(${JSON.stringify(x)}, ${JSON.stringify(y)})`);
  }
  const rows = [{ id: '\ue000', weight: 1, stratum: '' }, { id: '😀', weight: 2, stratum: 'x' }, { id: 'b', weight: 1 }];
  const text = '\ue000\t1\t\n' + '😀\t2\tx\n';
  check((await V.populationSha256(rows)) === nodeCrypto.createHash('sha256').update('b\t1\t\n' + text).digest('hex'),
    'commitment sorted by UTF-8 bytes');

  // CSV: what is read, and what is refused with its row.
  same(V.parsePopulationCsv('id\n"a,""b"""\r\n\r\nc\n'), [{ id: 'a,"b"', weight: 1, stratum: '' }, { id: 'c', weight: 1, stratum: '' }], 'quoted CSV');
  same(V.parsePopulationCsv('id,weight\nx, 3 \n'), [{ id: 'x', weight: 3, stratum: '' }], 'weight with spaces');
  const refusals = [
    ['id,weight\nA,1\nB,2\n\nA,3\n', 'row 5, column id: duplicate id "A", also on row 2'],
    ['id,weight\nA,1\n,2\n', 'row 3, column id: id is empty'],
    ['id,weight\nA,x\n', 'row 2, column weight: weight must be a whole number from 1 to 10000, found "x"'],
    ['id,weight\nA,0\n', 'row 2, column weight: weight must be a whole number from 1 to 10000, found 0'],
    ['id,weight\nA,-1\n', 'row 2, column weight: weight must be a whole number from 1 to 10000, found "-1"'],
    ['id,weight\nA,2\nA#2,1\n', 'row 3, column id: id "A#2" is also ticket name 2 of "A" (weight 2); the two would share a ticket'],
    ['id,weight\nA ,1\n', 'row 2, column id: id "A " begins or ends with a space'],
    ['id,name\nA,1\n', 'row 1: unknown column "name" (column 2); the header is id,weight,stratum'],
    ['id,weight\nA,1,2\n', 'row 2: has 3 fields, the header has 2'],
    ['\n\n', 'is empty; it needs the header id,weight,stratum'],
  ];
  for (const [csv, message] of refusals) {
    let error = null;
    try {
      V.parsePopulationCsv(csv);
    } catch (e) {
      error = e;
    }
    check(error && error.message === message, `CSV ${JSON.stringify(csv)}: expected ${message}, got ${error && error.message}`);
    check(/第 \d+ 行|文件是空的/.test(error.zh), `CSV ${JSON.stringify(csv)}: no Chinese row in ${error.zh}`);
  }
  same(V.parseInspectorsCsv('ID,Department\r\nJC1,市场监管局\r\n'), [{ id: 'JC1', department: '市场监管局' }], 'inspectors CSV');
  same(V.parseRecusalsCsv('target_id,inspector_id\nT1,JC1\n'), [{ inspector_id: 'JC1', target_id: 'T1' }], 'recusals CSV');
  let dup = null;
  try {
    V.parseInspectorsCsv('id,department\nJC1,a\nJC1,b\n');
  } catch (e) {
    dup = e.message;
  }
  check(dup === 'row 3, column id: duplicate inspector id "JC1", also on row 2', `duplicate inspector: ${dup}`);

  // Errors of the draw, with the engine's wording.
  const pop = [{ id: 'a', weight: 1, stratum: 'A' }, { id: 'b', weight: 1, stratum: 'B' }];
  const drawErrors = [
    [{ size: 3 }, 0, 'size 3 is larger than the population (2 entities)'],
    [{ size: 0 }, 0, 'size must be at least 1'],
    [{ ratio_bp: 10001 }, 0, 'ratio must be from 1 to 10000 basis points, found 10001'],
    [{ quotas: { A: 2 } }, 0, 'quota of 2 for stratum "A" cannot be filled: it has 1 entities'],
    [{ quotas: {} }, 0, 'quotas name no stratum'],
    [{ size: 1 }, 2, 'reserve of 2 is more than the 1 entities left after the selection'],
  ];
  for (const [rule, reserve, message] of drawErrors) {
    const e = await expectFailure(V.draw(pop, 's', rule, reserve), JSON.stringify(rule));
    check(e.message === message, `draw ${JSON.stringify(rule)}: expected ${message}, got ${e.message}`);
  }
  return 'worked examples, 200 random tickets, UTF-8 order, CSV reading and refusals, draw errors';
}

// --- Timing -------------------------------------------------------------------------------------------

async function bench(n) {
  const rows = [];
  for (let i = 0; i < n; i++) {
    const id = '91410307' + String((i * 7919) % 10000019).padStart(10, '0');
    rows.push({ id, weight: [1, 2, 4][i % 3], stratum: ['A', 'B', 'C'][i % 3] });
  }
  const names = rows.reduce((t, r) => t + r.weight, 0);
  let t = Date.now();
  const doc = await V.draw(rows, '2026112201234567890/LY-2026-003', { ratio_bp: 500 }, 10);
  const drawMs = Date.now() - t;
  t = Date.now();
  const outcome = await V.verifyDraw(doc, rows);
  const verifyMs = Date.now() - t;
  check(outcome.ok, `bench verify: ${outcome.difference}`);
  return `${n} rows (${names} tickets, weights 1/2/4): draw ${(drawMs / 1000).toFixed(2)} s, verify ${(verifyMs / 1000).toFixed(2)} s, selected ${doc.selected.length} + reserve ${doc.reserve.length}`;
}

// --- Main ---------------------------------------------------------------------------------------------

async function main() {
  const args = process.argv.slice(2);
  const benchArg = args.find((a) => a.startsWith('--bench'));
  let files = args.filter((a) => !a.startsWith('--'));
  if (files.length === 0) {
    files = fs.readdirSync(VECTORS).filter((f) => /^case-.*\.json$/.test(f)).sort().map((f) => path.join(VECTORS, f));
  }
  let passed = 0;
  let failed = 0;
  const report = async (name, run) => {
    try {
      const note = await run();
      passed++;
      console.log(`ok    ${name}: ${note}`);
    } catch (e) {
      failed++;
      console.log(`FAIL  ${name}: ${e instanceof Failure ? e.message : e.stack}`);
    }
  };
  await report('general', generalChecks);
  for (const file of files) await report(path.basename(file), () => runCase(file));
  if (benchArg) {
    const n = Number(benchArg.split('=')[1] || 100000);
    await report('bench', () => bench(n));
  }
  console.log(`${passed} passed, ${failed} failed`);
  process.exitCode = failed === 0 ? 0 : 1;
}

main();
