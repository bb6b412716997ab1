// Prints the comparison table of scripts/bench-binance from bench_binance_depth's Google Benchmark
// JSON (median aggregates) and the JSON lines of ccxt_orderbook_bench.mjs.
//
//   node compare_report.mjs <flowscope.json> <ccxt-result.json>...

import { readFileSync } from 'node:fs';

const MS_PER_UNIT = { ns: 1e-6, us: 1e-3, ms: 1, s: 1e3 };

function flowscopeRows(path) {
  const report = JSON.parse(readFileSync(path, 'utf8'));
  const medians = report.benchmarks.filter((b) => b.aggregate_name === 'median');
  const singles = report.benchmarks.filter((b) => b.run_type === 'iteration');
  // Medians over repetitions when there were several, the single run otherwise.
  const rows = medians.length ? medians : singles;
  return rows.map((b) => {
    const scale = MS_PER_UNIT[b.time_unit];
    const passBytes = b.bytes_per_second * (b.real_time * scale) / 1e3;
    const passMessages = b.items_per_second * (b.real_time * scale) / 1e3;
    return {
      name: 'flowscope ' + b.run_name.replace(/^BM_BinanceDepth\//, '').replace(/\/real_time$/, ''),
      messages: Math.round(passMessages),
      bytes: Math.round(passBytes),
      wallMs: b.real_time * scale,
      cpuMs: b.cpu_time * scale,
      passes: report.benchmarks.find((x) => x.run_name === b.run_name && x.run_type === 'iteration')
        ?.iterations,
    };
  });
}

function ccxtRow(path) {
  const r = JSON.parse(readFileSync(path, 'utf8'));
  return {
    name: `ccxt ${r.ccxtPackage} ${r.variant}`,
    messages: r.messages,
    bytes: r.bytes,
    wallMs: r.wallMsMedian,
    cpuMs: r.cpuMsMedian,
    passes: r.passes,
  };
}

const [flowscopePath, ...ccxtPaths] = process.argv.slice(2);
const rows = [...flowscopeRows(flowscopePath), ...ccxtPaths.map(ccxtRow)];

const header = ['side', 'messages', 'MB', 'wall s', 'msg/s', 'MB/s', 'cpu s', 'MB/s cpu'];
const table = rows.map((r) => [
  r.name,
  String(r.messages),
  (r.bytes / 1e6).toFixed(3),
  (r.wallMs / 1e3).toFixed(5),
  Math.round(r.messages / (r.wallMs / 1e3)).toLocaleString('en-US'),
  (r.bytes / 1e6 / (r.wallMs / 1e3)).toFixed(1),
  (r.cpuMs / 1e3).toFixed(5),
  (r.bytes / 1e6 / (r.cpuMs / 1e3)).toFixed(1),
]);
const widths = header.map((h, i) => Math.max(h.length, ...table.map((row) => row[i].length)));
const line = (cells) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const row of table) console.log(line(row));
console.log('(one pass = every depth message + the snapshot; seconds are per pass, medians; MB = 1e6 bytes of depth messages)');

const flowscope = rows.filter((r) => r.name.startsWith('flowscope'));
const ccxt = rows.filter((r) => r.name.startsWith('ccxt'));
console.log('');
for (const f of flowscope) {
  for (const c of ccxt) {
    console.log(
      `ratio ${f.name} vs ${c.name}: ${(c.wallMs / f.wallMs).toFixed(1)}x wall, ` +
        `${(c.cpuMs / f.cpuMs).toFixed(1)}x cpu`,
    );
  }
}
