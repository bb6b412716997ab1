// ccxt's own Binance spot order-book path (ccxt.pro.binance: handleMessage -> handleOrderBook ->
// cache until the snapshot -> fetchOrderBookSnapshot -> handleOrderBookMessage -> OrderBookSide)
// on the recorded depth stream, without a network. See README.md for what is measured and what is
// stubbed. Prints one JSON object on stdout; progress and checks go to stderr.
//
//   node ccxt_orderbook_bench.mjs [--input=PATH] [--min-seconds=S] [--warmup=N]
//                                 [--variant=handler|client] [--book-out=PATH]

import { readFileSync, writeFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import ccxt from 'ccxt';

const DEPTH_PREFIX = '{"stream":"btcusdt@depth@100ms"';
const SNAPSHOT_PREFIX = '{"lastUpdateId":';
const SYMBOL = 'BTC/USDT';
const MESSAGE_HASH = 'orderbook::' + SYMBOL;
const BOOK_OUT_LEVELS = 20;
// Decimals of the Flowscope bench's instrument (tick 0.01, lot 0.000001), so both books print
// the same text.
const PRICE_DECIMALS = 2;
const SIZE_DECIMALS = 6;
// From /work/shared/data/README.md: 2 events already in the snapshot, 3,449 applied.
const EXPECTED_APPLIED = 3449;

function parseArgs(argv) {
  const args = {
    input: '/work/shared/data/binance/spot_btcusdt_20240808.gz',
    minSeconds: 3,
    warmup: 5,
    variant: 'handler',
    bookOut: '',
  };
  for (const arg of argv) {
    const [key, value] = arg.replace(/^--/, '').split('=');
    if (key === 'input') args.input = value;
    else if (key === 'min-seconds') args.minSeconds = Number(value);
    else if (key === 'warmup') args.warmup = Number(value);
    else if (key === 'variant') args.variant = value;
    else if (key === 'book-out') args.bookOut = value;
    else throw new Error('unknown argument ' + arg);
  }
  if (args.variant !== 'handler' && args.variant !== 'client') {
    throw new Error('--variant is handler or client');
  }
  return args;
}

// ---------------------------------------------------------------------------------------------
// Input: the same selection as bench_binance_depth.cpp, byte for byte.

function fnv1a(hash, bytes) {
  for (let i = 0; i < bytes.length; i++) {
    hash ^= bytes[i];
    hash = Math.imul(hash, 16777619) >>> 0;
  }
  return hash;
}

function loadDepthStream(path) {
  const raw = gunzipSync(readFileSync(path));
  const stream = { depth: [], depthBytes: 0, snapshot: undefined, snapshotAfter: 0, hash: 2166136261 };
  let start = 0;
  while (start < raw.length) {
    let end = raw.indexOf(0x0a, start);
    if (end < 0) end = raw.length;
    const line = raw.subarray(start, end);
    start = end + 1;
    const space = line.indexOf(0x20);
    if (space < 0) continue;
    const json = line.subarray(space + 1);
    const text = json.toString('latin1');
    if (text.startsWith(DEPTH_PREFIX)) {
      stream.depth.push(text);
      stream.depthBytes += json.length;
      stream.hash = fnv1a(stream.hash, json);
    } else if (text.startsWith(SNAPSHOT_PREFIX)) {
      if (stream.snapshot !== undefined) throw new Error('more than one snapshot');
      stream.snapshot = text;
      stream.snapshotAfter = stream.depth.length;
      stream.hash = fnv1a(stream.hash, json);
    }
  }
  if (stream.snapshot === undefined || stream.depth.length === 0) {
    throw new Error(path + ': no depth events or no snapshot');
  }
  const last = JSON.parse(stream.depth[stream.depth.length - 1]).data;
  stream.lastUpdateId = last.u;
  return stream;
}

// ---------------------------------------------------------------------------------------------
// The exchange as watchOrderBook leaves it, with the network replaced.

// The unified market binance.parseMarket makes of BTCUSDT's exchangeInfo entry, reduced to the
// fields the order-book path reads (loadMarkets would fetch it).
const BTC_USDT_SPOT = {
  id: 'BTCUSDT',
  lowercaseId: 'btcusdt',
  symbol: SYMBOL,
  base: 'BTC',
  quote: 'USDT',
  baseId: 'BTC',
  quoteId: 'USDT',
  type: 'spot',
  spot: true,
  margin: true,
  swap: false,
  future: false,
  option: false,
  contract: false,
  active: true,
  precision: { amount: 0.00001, price: 0.01 },
};

async function makeExchange() {
  // REST pacing only delays the (stubbed) snapshot request; nothing to pace without a network.
  const exchange = new ccxt.pro.binance({ enableRateLimit: false });
  exchange.setMarkets([BTC_USDT_SPOT]);

  const ctx = { exchange, client: undefined, subscribeRequest: undefined, pendingSnapshot: undefined };
  ctx.onFetchStarted = () => {};

  // The WebSocket client: ccxt's real WsClient object, only connect/send replaced.
  const makeClient = exchange.client.bind(exchange);
  exchange.client = (url) => {
    const client = makeClient(url);
    if (!client.benchStubbed) {
      client.benchStubbed = true;
      client.connect = () => {
        client.isConnected = true;
        client.connected.resolve(client.url);
        return client.connected;
      };
      client.send = async (message) => {
        ctx.subscribeRequest = message;
      };
    }
    ctx.client = client;
    return client;
  };

  // The REST transport: Exchange.fetch returns the parsed body; here the body is handed over when
  // the stream reaches the snapshot line.
  exchange.fetch = (url) => {
    if (!url.includes('/depth')) throw new Error('unexpected REST request ' + url);
    return new Promise((resolve) => {
      ctx.pendingSnapshot = resolve;
      ctx.onFetchStarted();
    });
  };

  // What a user does first: subscribe. The returned future settles at the first book; nobody
  // awaits it again (no consumer loop is measured).
  exchange.watchOrderBook(SYMBOL).catch((e) => console.error('watchOrderBook:', e.message));
  for (let i = 0; i < 100 && ctx.subscribeRequest === undefined; i++) {
    await new Promise((r) => setImmediate(r));
  }
  if (ctx.subscribeRequest === undefined) throw new Error('watchOrderBook sent no SUBSCRIBE');
  // Binance's acknowledgement of that SUBSCRIBE; ccxt creates the book and asks for the snapshot
  // when it arrives (handleSubscriptionStatus -> handleOrderBookSubscription).
  ctx.ack = JSON.stringify({ result: null, id: ctx.subscribeRequest.id });
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// One pass

function makeDeliver(ctx, variant) {
  const { exchange, client } = ctx;
  if (variant === 'client') {
    // The WsClient's own frame handler: ccxt's big-integer regex, JSON.parse, then handleMessage.
    return (text) => client.onMessage({ data: text });
  }
  return (text) => exchange.handleMessage(client, JSON.parse(text));
}

/// Returns the nanoseconds spent in ccxt's work; the idle wait for ccxt's own spawn timer
/// (setTimeout 0 before it builds the snapshot request) is left out.
async function runPass(ctx, stream, deliver) {
  const fetchStarted = new Promise((resolve) => {
    ctx.onFetchStarted = resolve;
  });
  let t0 = process.hrtime.bigint();
  deliver(ctx.ack);
  let busy = process.hrtime.bigint() - t0;
  await fetchStarted;

  t0 = process.hrtime.bigint();
  const depth = stream.depth;
  for (let i = 0; i < stream.snapshotAfter; i++) deliver(depth[i]);
  // fetchOrderBookSnapshot resolves this future after reset + unrolling its cache.
  const synced = ctx.client.future(MESSAGE_HASH);
  ctx.pendingSnapshot(ctx.exchange.parseJson(stream.snapshot));
  await synced;
  for (let i = stream.snapshotAfter; i < depth.length; i++) deliver(depth[i]);
  busy += process.hrtime.bigint() - t0;
  return busy;
}

/// Empty when the pass ended where the recording does, with nothing rejected.
function passProblem(ctx, stream) {
  const book = ctx.exchange.orderbooks[SYMBOL];
  if (book === undefined) return 'the book was dropped (a gap or an error)';
  if (book.cache.length !== 0) return 'messages still cached: ' + book.cache.length;
  if (book.nonce !== stream.lastUpdateId) return `nonce ${book.nonce}, expected ${stream.lastUpdateId}`;
  const rejections = Object.keys(ctx.client.rejections);
  if (rejections.length) return 'rejected: ' + rejections.join(', ');
  return '';
}

/// One untimed pass counting applied events through a wrapper (removed afterwards).
async function checkPass(ctx, stream, deliver) {
  const { exchange } = ctx;
  let applied = 0;
  const original = exchange.handleOrderBookMessage;
  exchange.handleOrderBookMessage = function (...args) {
    applied++;
    return original.apply(this, args);
  };
  await runPass(ctx, stream, deliver);
  delete exchange.handleOrderBookMessage;
  const problem = passProblem(ctx, stream);
  if (problem) throw new Error('check pass: ' + problem);
  if (applied !== EXPECTED_APPLIED) {
    throw new Error(`check pass: ${applied} events applied, expected ${EXPECTED_APPLIED}`);
  }
  return applied;
}

function topLevelsText(book) {
  const lines = [];
  const side = (name, levels) => {
    for (let i = 0; i < BOOK_OUT_LEVELS && i < levels.length; i++) {
      const [price, size] = levels[i];
      lines.push(`${name} ${i + 1} ${price.toFixed(PRICE_DECIMALS)} ${size.toFixed(SIZE_DECIMALS)}`);
    }
  };
  side('bid', book.bids);
  side('ask', book.asks);
  return lines.join('\n') + '\n';
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

// ---------------------------------------------------------------------------------------------

async function main() {
  const args = parseArgs(process.argv.slice(2));
  const stream = loadDepthStream(args.input);
  console.error(
    `input: depth_messages=${stream.depth.length} depth_bytes=${stream.depthBytes} ` +
      `snapshot_bytes=${Buffer.byteLength(stream.snapshot, 'latin1')} ` +
      `snapshot_after=${stream.snapshotAfter} fnv1a32=${stream.hash.toString(16).padStart(8, '0')}`,
  );

  const ctx = await makeExchange();
  const deliver = makeDeliver(ctx, args.variant);
  const applied = await checkPass(ctx, stream, deliver);
  console.error(`check (${args.variant}): ${applied} events applied, final nonce ${stream.lastUpdateId}, nothing rejected`);
  if (args.bookOut) writeFileSync(args.bookOut, topLevelsText(ctx.exchange.orderbooks[SYMBOL]));

  for (let i = 0; i < args.warmup; i++) await runPass(ctx, stream, deliver);

  const wallMs = [];
  const cpuMs = [];
  const deadline = process.hrtime.bigint() + BigInt(Math.round(args.minSeconds * 1e9));
  while (wallMs.length < 5 || process.hrtime.bigint() < deadline) {
    const cpu0 = process.cpuUsage();
    const busy = await runPass(ctx, stream, deliver);
    const cpu = process.cpuUsage(cpu0);
    const problem = passProblem(ctx, stream);
    if (problem) throw new Error('pass ' + wallMs.length + ': ' + problem);
    wallMs.push(Number(busy) / 1e6);
    cpuMs.push((cpu.user + cpu.system) / 1e3);
  }

  const result = {
    side: 'ccxt',
    // The package's own version: ccxt.version, compiled into the bundle, can lag it by one.
    ccxtPackage: JSON.parse(readFileSync(new URL('./node_modules/ccxt/package.json', import.meta.url), 'utf8')).version,
    node: process.version,
    variant: args.variant,
    messages: stream.depth.length,
    bytes: stream.depthBytes,
    passes: wallMs.length,
    wallMsMedian: median(wallMs),
    wallMsMin: Math.min(...wallMs),
    cpuMsMedian: median(cpuMs),
  };
  process.stdout.write(JSON.stringify(result) + '\n');
}

main().catch((e) => {
  console.error(e.stack || String(e));
  process.exit(1);
});
