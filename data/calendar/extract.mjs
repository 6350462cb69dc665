#!/usr/bin/env node
// Regenerates data/calendar/cn-workdays.csv from the npm package `chinese-days`
// (statutory holidays 法定节假日 and make-up working days 调休 of the State Council's
// yearly notices). No dependencies besides that package.
//
// Usage:
//   node data/calendar/extract.mjs /path/to/node_modules/chinese-days > data/calendar/cn-workdays.csv
//
// Output: UTF-8 CSV, LF line endings, header `date,kind,name`, sorted by date.
//   kind `holiday`: a day off of a statutory holiday period (every day of the period,
//                   including its weekend days and the weekdays taken off in lieu);
//   kind `workday`: a weekend day that is a working day (调休 make-up day).
//   name: the holiday's Chinese name as the package gives it (元旦, 春节, …).
// Row counts and sanity-check results are written to stderr.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const FIRST = 2004;
const LAST = 2026;

const pkgDir = process.argv[2];
if (!pkgDir) {
  console.error('usage: node extract.mjs /path/to/node_modules/chinese-days > cn-workdays.csv');
  process.exit(2);
}

const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8'));
const data = JSON.parse(readFileSync(join(pkgDir, 'dist', 'chinese-days.json'), 'utf8'));
for (const key of ['holidays', 'workdays', 'inLieuDays']) {
  if (!data[key]) throw new Error(`dist/chinese-days.json has no \`${key}\``);
}

const fail = (msg) => {
  throw new Error(msg);
};

// Values look like "Spring Festival,春节,4": English name, Chinese name, statutory day count.
function chineseName(date, value) {
  const parts = String(value).split(',');
  if (parts.length < 3) fail(`${date}: unexpected value ${JSON.stringify(value)}`);
  const name = parts[parts.length - 2].trim();
  if (!name || /[",\r\n]/.test(name)) fail(`${date}: unusable name ${JSON.stringify(name)}`);
  return name;
}

function weekday(date) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date)) fail(`bad date ${date}`);
  const d = new Date(`${date}T00:00:00Z`);
  if (Number.isNaN(d.getTime()) || d.toISOString().slice(0, 10) !== date) fail(`bad date ${date}`);
  return d.getUTCDay(); // 0 = Sunday, 6 = Saturday
}

const inRange = (date) => {
  const y = Number(date.slice(0, 4));
  return y >= FIRST && y <= LAST;
};

const rows = [];
for (const [date, value] of Object.entries(data.holidays)) {
  if (!inRange(date)) continue;
  weekday(date);
  rows.push({ date, kind: 'holiday', name: chineseName(date, value) });
}
for (const [date, value] of Object.entries(data.workdays)) {
  if (!inRange(date)) continue;
  const wd = weekday(date);
  if (wd !== 0 && wd !== 6) fail(`${date}: make-up working day on a weekday`);
  if (data.holidays[date]) fail(`${date}: both a holiday and a working day`);
  rows.push({ date, kind: 'workday', name: chineseName(date, value) });
}
// Every day off in lieu must already be one of the holiday days.
for (const date of Object.keys(data.inLieuDays)) {
  if (inRange(date) && !data.holidays[date]) fail(`${date}: day off in lieu missing from holidays`);
}

rows.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
for (let i = 1; i < rows.length; i++) {
  if (rows[i].date === rows[i - 1].date) fail(`duplicate date ${rows[i].date}`);
}
// civicgrid counts a year as covered when its January 1 (元旦) is a holiday row.
const holidayDates = new Set(rows.filter((r) => r.kind === 'holiday').map((r) => r.date));
for (let y = FIRST; y <= LAST; y++) if (!holidayDates.has(`${y}-01-01`)) fail(`${y}-01-01 is not a holiday`);

process.stdout.write('date,kind,name\n');
for (const r of rows) process.stdout.write(`${r.date},${r.kind},${r.name}\n`);

const count = (kind) => rows.filter((r) => r.kind === kind).length;
console.error(`${pkg.name} ${pkg.version}: years ${FIRST}-${LAST}, ${rows.length} rows ` +
  `(${count('holiday')} holiday, ${count('workday')} workday)`);
const perYear = {};
for (const r of rows) {
  const y = r.date.slice(0, 4);
  perYear[y] ??= { holiday: 0, workday: 0 };
  perYear[y][r.kind]++;
}
for (const [y, c] of Object.entries(perYear)) console.error(`${y}\t${c.holiday}\t${c.workday}`);
