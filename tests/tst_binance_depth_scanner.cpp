// The compact depth scanner (venues/binance_depth_scanner.h) against the simdjson reader it
// stands in for. On every frame of the real recording and on mutated copies of each depth event
// and of the snapshot (truncations, changed, inserted and deleted bytes, reordered keys,
// whitespace, escapes, extra level elements, out-of-range and malformed numbers), in both
// markets, a parser that tries the scanner first must decode exactly what the simdjson reader
// alone decodes (same fields and levels, or the same refusal), and every level must convert to
// the same ticks and lots as the 128-bit reference, or both refuse. Also: which shapes the
// scanner takes and which it leaves to simdjson.
#include <QtTest>

#include <random>
#include <string>
#include <utility>
#include <vector>

#include "capture_lines.h"
#include "reference_decimal.h"
#include "venues/binance_depth_scanner.h"
#include "venues/binance_messages.h"

using namespace flowscope;
using namespace flowscope::venues;

namespace {

const char* const kCapture = FLOWSCOPE_TEST_DATA "/binance/spot_btcusdt_20240808.gz";
constexpr std::string_view kEnvelope = R"({"stream":"btcusdt@depth@100ms","data":)";

using TextLevels = std::vector<std::pair<std::string, std::string>>;

/// Everything a parse says, copied out of the parser (its views end with the next parse).
struct Decoded {
    int kind = -1;
    std::string symbol;
    std::uint64_t first = 0;  ///< U, or a snapshot's lastUpdateId
    std::uint64_t last = 0;
    std::int64_t previous = 0;
    std::uint64_t eventMs = 0;  ///< E, or a snapshot's time
    std::uint64_t transactionMs = 0;
    TextLevels bids;
    TextLevels asks;
    std::uint64_t tradeId = 0;
    std::string tradePrice;
    std::string tradeQty;
    std::uint64_t tradeMs = 0;
    bool buyerIsMaker = false;
    std::string problemField;
    std::string problem;
    bool operator==(const Decoded&) const = default;
};

TextLevels copyLevels(std::span<const BinanceLevelText> levels) {
    TextLevels out;
    for (const BinanceLevelText& level : levels)
        out.emplace_back(level.price, level.qty);
    return out;
}

Decoded decodeStream(BinanceMessageParser& parser, std::string_view frame) {
    const BinanceMessage& m = parser.parseStream(frame);
    return {static_cast<int>(m.kind),
            std::string(m.symbol),
            m.depth.ids.first,
            m.depth.ids.last,
            m.depth.ids.previous,
            m.depth.eventMs,
            m.depth.transactionMs,
            copyLevels(m.depth.bids),
            copyLevels(m.depth.asks),
            m.trade.id,
            std::string(m.trade.price),
            std::string(m.trade.qty),
            m.trade.tradeMs,
            m.trade.buyerIsMaker,
            std::string(m.problemField),
            std::string(m.problem)};
}

Decoded decodeSnapshot(BinanceMessageParser& parser, std::string_view body) {
    const BinanceSnapshotText& s = parser.parseSnapshot(body);
    Decoded out;
    out.kind = static_cast<int>(s.kind);
    out.first = s.lastUpdateId;
    out.eventMs = s.timeMs;
    out.bids = copyLevels(s.bids);
    out.asks = copyLevels(s.asks);
    out.problemField = s.problemField;
    out.problem = s.problem;
    return out;
}

/// The capture's lot is the wire precision (tst_binance_capture explains why).
Instrument captureInstrument() {
    return Instrument("BTCUSDT", *DecimalStep::parse("0.01"), *DecimalStep::parse("0.00000001"));
}

/// Empty when every level converts as the reference says (production: the overloads the
/// adapter calls per level); otherwise the first level that does not.
std::string conversionMismatch(const Instrument& instrument, const Decoded& decoded) {
    for (const TextLevels* side : {&decoded.bids, &decoded.asks}) {
        for (const auto& [price, qty] : *side) {
            PriceTicks ticks = 0;
            Lots lots = 0;
            int decimals = 0;
            const bool priceOk = instrument.parsePrice(price, ticks, decimals);
            const bool qtyOk = instrument.parseSize(qty, lots, decimals);
            const auto wantPrice = testing::referenceSteps(price, instrument.tickSize());
            auto wantQty = testing::referenceSteps(qty, instrument.lotSize());
            if (wantQty && *wantQty < 0) wantQty.reset();
            if (priceOk != wantPrice.has_value() || (priceOk && ticks != *wantPrice) ||
                qtyOk != wantQty.has_value() || (qtyOk && lots != *wantQty)) {
                return price + " x " + qty;
            }
        }
    }
    return {};
}

/// The two decoders on `frame` (a stream frame, or a snapshot body when `snapshot`).
struct Differential {
    explicit Differential(BinanceMarket market)
        : market(market),
          scannerFirst(market, BinanceDecoder::ScannerFirst),
          simdjsonOnly(market, BinanceDecoder::SimdjsonOnly) {}

    /// Empty when both decoders agree and the levels convert as the reference does.
    std::string check(const std::string& text, bool snapshot) {
        ++checked;
        std::vector<BinanceLevelText> bids;
        std::vector<BinanceLevelText> asks;
        if (snapshot) {
            BinanceSnapshotText ignored;
            scanned += scanCompactDepthSnapshot(text, market, ignored, bids, asks);
        } else {
            BinanceMessage ignored;
            scanned += scanCompactDepthEvent(text, market, ignored, bids, asks);
        }
        const Decoded fast =
            snapshot ? decodeSnapshot(scannerFirst, text) : decodeStream(scannerFirst, text);
        const Decoded reference =
            snapshot ? decodeSnapshot(simdjsonOnly, text) : decodeStream(simdjsonOnly, text);
        if (!(fast == reference)) return "decoders differ on: " + text.substr(0, 300);
        if (const std::string level = conversionMismatch(instrument, fast); !level.empty())
            return "conversion differs on " + level;
        return {};
    }

    BinanceMarket market;
    BinanceMessageParser scannerFirst;
    BinanceMessageParser simdjsonOnly;
    Instrument instrument = captureInstrument();
    int checked = 0;
    int scanned = 0;  ///< of those, taken by the scanner
};

/// `text` with `from` (its first occurrence at or after `at`) replaced by `to`; unchanged when
/// absent.
std::string replaced(std::string text, std::string_view from, std::string_view to,
                     std::size_t at = 0) {
    const std::size_t found = text.find(from, at);
    if (found != std::string::npos) text.replace(found, from.size(), to);
    return text;
}

/// `text` with the member starting at ",\"<a>\":" and the one after it swapped: both start with
/// a comma, so the JSON stays valid and only the key order changes.
std::string swappedMembers(const std::string& text, std::string_view a, std::string_view b,
                           std::string_view next) {
    const std::size_t first = text.find(a);
    const std::size_t second = text.find(b, first == std::string::npos ? 0 : first);
    const std::size_t end = text.find(next, second == std::string::npos ? 0 : second);
    if (first == std::string::npos || second == std::string::npos || end == std::string::npos)
        return text;
    return text.substr(0, first) + text.substr(second, end - second) +
           text.substr(first, second - first) + text.substr(end);
}

/// Shape changes a recorded depth event (or snapshot) can go through: each either keeps the
/// meaning in another spelling or breaks the frame.
std::vector<std::string> structuralMutations(const std::string& text) {
    std::vector<std::string> out = {
        swappedMembers(text, R"(,"U":)", R"(,"u":)", R"(,"b":)"),
        swappedMembers(text, R"(,"b":)", R"(,"a":)", "}"),
        swappedMembers(text, R"(,"bids":)", R"(,"asks":)", "}"),
        replaced(text, R"("s":"BTCUSDT")", R"("s":"BTC\u0055SDT")"),
        replaced(text, R"("s":"BTCUSDT")", R"("s":"BTCÜSDT")"),
        replaced(text, R"("s":"BTCUSDT")", "\"s\":\"BTC\x01USDT\""),
        replaced(text, "btcusdt@depth", "btc\xffusdt@depth"),
        replaced(text, "\"],", "\",1],"),
        replaced(text, "\"],", "\"],[\"1.00000000\"],"),
        replaced(text, R"("U":)", R"("U":0)"),
        replaced(text, R"("U":)", R"("U":-)"),
        replaced(text, R"("E":)", R"("E":99999999)"),
        replaced(text, R"("u":)", R"("u":1)"),
        replaced(text, R"(,"u":)", R"(,"u":1.5,"x":)"),
        replaced(text, R"("E":1)", R"("E":1e)"),
        replaced(text, R"("lastUpdateId":)", R"("lastUpdateId":0)"),
        replaced(text, R"("lastUpdateId":)", R"("lastUpdateId":99999999999)"),
        replaced(text, R"("e":"depthUpdate",)", R"("e":"depthUpdate","E":1,)"),
        replaced(text, R"("e":"depthUpdate")", R"("e":"depthUpdatf")"),
        replaced(text, R"("b":[)", R"("b":[],"c":[)"),
        replaced(text, R"("b":[)", R"("b": [)"),
        replaced(text, ",", ", "),
        replaced(text, "\"]]", "\"]]]"),
        replaced(text, "[[", "[{"),
        text + "\n",
        text + " ",
        text + "}",
        " " + text,
    };
    if (text.starts_with(kEnvelope) && text.ends_with("}}")) {
        // The bare event of a /ws/<stream> connection, and envelopes with the data first or
        // with other members.
        const std::string event = text.substr(kEnvelope.size(), text.size() - kEnvelope.size() - 1);
        out.push_back(event);
        out.push_back(R"({"data":)" + event + R"(,"stream":"btcusdt@depth@100ms"})");
        out.push_back(std::string(kEnvelope) + event + R"(,"x":1})");
        out.push_back(R"({"stream":"btcusdt@depth@100ms","data":[)" + event + "]}");
    }
    return out;
}

/// Random damage: cuts, changed digits, changed, inserted and deleted bytes.
std::vector<std::string> randomMutations(const std::string& text, std::mt19937_64& rng) {
    static const std::string kBytes =
        std::string("\"\\ ,:[]{}0123456789-+.eEaA\x01\x7f\xc3\xff\t") + std::string(1, '\0');
    std::vector<std::string> out;
    for (int i = 0; i < 3; ++i)
        out.push_back(text.substr(0, rng() % text.size()));
    for (int i = 0; i < 4; ++i) {
        std::string t = text;
        t[rng() % t.size()] = kBytes[rng() % kBytes.size()];
        out.push_back(t);
    }
    for (int i = 0; i < 4; ++i) {
        // Digits mostly keep the frame valid: the scanner's path, with other values.
        std::string t = text;
        for (int tries = 0; tries < 16; ++tries) {
            char& c = t[rng() % t.size()];
            if (c >= '0' && c <= '9') {
                c = static_cast<char>('0' + rng() % 10);
                break;
            }
        }
        out.push_back(t);
    }
    std::string inserted = text;
    inserted.insert(rng() % text.size(), 1, kBytes[rng() % kBytes.size()]);
    out.push_back(inserted);
    std::string deleted = text;
    deleted.erase(rng() % text.size(), 1);
    out.push_back(deleted);
    return out;
}

/// A recorded spot event in the USD-M shape: T after E, pu after u.
std::string asUsdm(const std::string& spot) {
    const std::size_t e = spot.find(R"("E":)");
    const std::size_t eEnd = spot.find(',', e);
    const std::size_t u = spot.find(R"(,"u":)");
    const std::size_t uEnd = spot.find(',', u + 1);
    if (e == std::string::npos || eEnd == std::string::npos || u == std::string::npos ||
        uEnd == std::string::npos)
        return spot;
    return spot.substr(0, eEnd) + R"(,"T":1723161255200)" + spot.substr(eEnd, uEnd - eEnd) +
           R"(,"pu":50093239188)" + spot.substr(uEnd);
}

}  // namespace

class TestBinanceDepthScanner : public QObject {
    Q_OBJECT

  private slots:
    void initTestCase() {
        lines_ = testing::readCaptureLines(kCapture);
        QCOMPARE(lines_.size(), std::size_t{41249});
    }

    void everyRecordedFrameDecodesAsSimdjsonDecodesIt() {
        // Depth events, trades, bookTickers and the snapshot: the scanner takes every depth
        // event and the snapshot (Binance's own shape) and leaves the rest to simdjson.
        Differential spot(BinanceMarket::Spot);
        int depthEvents = 0;
        for (const testing::CaptureLine& line : lines_) {
            const bool snapshot = testing::isRestSnapshot(line.json);
            depthEvents += line.json.starts_with(kEnvelope);
            const std::string problem = spot.check(line.json, snapshot);
            if (!problem.empty()) QFAIL(problem.c_str());
        }
        QCOMPARE(depthEvents, 3451);
        QCOMPARE(spot.scanned, 3451 + 1);
    }

    void mutatedFramesDecodeAsSimdjsonDecodesThem_data() {
        QTest::addColumn<int>("market");
        QTest::newRow("spot") << static_cast<int>(BinanceMarket::Spot);
        QTest::newRow("usdm") << static_cast<int>(BinanceMarket::UsdM);
    }
    void mutatedFramesDecodeAsSimdjsonDecodesThem() {
        QFETCH(int, market);
        const auto binanceMarket = static_cast<BinanceMarket>(market);
        Differential differential(binanceMarket);
        std::mt19937_64 rng(20240808);
        int mutated = 0;
        for (const testing::CaptureLine& line : lines_) {
            const bool snapshot = testing::isRestSnapshot(line.json);
            if (!snapshot && !line.json.starts_with(kEnvelope)) continue;
            const std::string original =
                binanceMarket == BinanceMarket::UsdM && !snapshot ? asUsdm(line.json) : line.json;
            std::vector<std::string> variants = structuralMutations(original);
            // The 64 kB snapshot gets many more random variants than one event.
            for (int round = 0; round < (snapshot ? 200 : 1); ++round) {
                for (std::string& variant : randomMutations(original, rng))
                    variants.push_back(std::move(variant));
            }
            variants.push_back(original);
            for (const std::string& variant : variants) {
                const std::string problem = differential.check(variant, snapshot);
                if (!problem.empty()) QFAIL(problem.c_str());
            }
            mutated += static_cast<int>(variants.size());
        }
        qDebug("%d variants checked, %d taken by the scanner", differential.checked,
               differential.scanned);
        QCOMPARE(differential.checked, mutated);
        // Both decoders are exercised: the scanner on the valid variants (the originals, bare
        // events, changed digits), simdjson on the rest.
        QVERIFY(differential.scanned > 3 * 3451);
        QVERIFY(differential.checked - differential.scanned > 20 * 3451);
    }

    void scannerTakesOnlyTheCompactShape_data() {
        QTest::addColumn<QString>("frame");
        QTest::addColumn<int>("market");
        QTest::addColumn<bool>("scanned");
        const int spot = static_cast<int>(BinanceMarket::Spot);
        const int usdm = static_cast<int>(BinanceMarket::UsdM);
        const QString event = R"({"e":"depthUpdate","E":1,"s":"BTCUSDT","U":5,"u":6,)"
                              R"("b":[["1.00","2"],["0.5","3.25"]],"a":[]})";
        const QString usdmEvent = R"({"e":"depthUpdate","E":1,"T":2,"s":"BTCUSDT","U":5,"u":6,)"
                                  R"("pu":4,"b":[],"a":[["2.00000000","1.00000000"]]})";
        const auto envelope = [](const QString& e) {
            return R"({"stream":"btcusdt@depth@100ms","data":)" + e + "}";
        };
        QTest::newRow("bare event") << event << spot << true;
        QTest::newRow("envelope") << envelope(event) << spot << true;
        QTest::newRow("usdm event") << envelope(usdmEvent) << usdm << true;
        QTest::newRow("usdm event on spot") << usdmEvent << spot << false;
        QTest::newRow("spot event on usdm") << event << usdm << false;
        QTest::newRow("zeros") << QString(event).replace("\"E\":1", "\"E\":0") << spot << true;
        QTest::newRow("leading zero")
            << QString(event).replace("\"E\":1", "\"E\":01") << spot << false;
        QTest::newRow("19 digits")
            << QString(event).replace("\"u\":6", "\"u\":9999999999999999999") << spot << true;
        QTest::newRow("20 digits")
            << QString(event).replace("\"u\":6", "\"u\":18446744073709551615") << spot << false;
        QTest::newRow("pu of 19 digits")
            << QString(usdmEvent).replace("\"pu\":4", "\"pu\":1000000000000000000") << usdm
            << false;
        QTest::newRow("u below U") << QString(event).replace("\"u\":6", "\"u\":4") << spot << false;
        QTest::newRow("space") << QString(event).replace(",\"a\"", ", \"a\"") << spot << false;
        QTest::newRow("trailing newline") << event + "\n" << spot << false;
        QTest::newRow("escape") << QString(event).replace("BTCUSDT", R"(BTC\u0055SDT)") << spot
                                << false;
        QTest::newRow("third element")
            << QString(event).replace(R"("2"])", R"("2",0])") << spot << false;
        QTest::newRow("number price")
            << QString(event).replace(R"("1.00")", "1.00") << spot << false;
        QTest::newRow("fraction") << QString(event).replace("\"E\":1", "\"E\":1.0") << spot
                                  << false;
        QTest::newRow("trade")
            << R"({"e":"trade","E":1,"s":"BTCUSDT","t":7,"p":"1","q":"1","T":2,"m":false})" << spot
            << false;
        QTest::newRow("snapshot as event")
            << R"({"lastUpdateId":1,"bids":[],"asks":[]})" << spot << false;
        // Binance's serverShutdown (spot docs, 2026), raw and in its combined-stream envelope:
        // never a depth event, whatever the stream name; simdjson reads it as a shutdown.
        QTest::newRow("server shutdown")
            << R"({"e":"serverShutdown","E":1770123456789})" << spot << false;
        QTest::newRow("server shutdown combined")
            << R"({"stream":"!serverShutdown","data":{"e":"serverShutdown","E":1770123456789}})"
            << spot << false;
        QTest::newRow("server shutdown on the depth stream")
            << R"({"stream":"btcusdt@depth@100ms","data":{"e":"serverShutdown","E":1}})" << spot
            << false;
        // Fields Binance adds (USD-M "ps", "st" on depth events, 2026) are skipped, wherever
        // they sit, when they are plain scalars with keys of their own; anything else declines.
        const auto withTail = [](QString e, const QString& members) {
            e.chop(1);
            return e + members + "}";
        };
        QTest::newRow("usdm ps st after the levels")
            << envelope(withTail(usdmEvent, R"(,"ps":"BTCUSDT","st":0)")) << usdm << true;
        QTest::newRow("usdm ps after s")
            << QString(usdmEvent).replace(R"("s":"BTCUSDT",)", R"("s":"BTCUSDT","ps":"BTCUSDT",)")
            << usdm << true;
        QTest::newRow("unknown scalars")
            << withTail(event, R"(,"x":-1.25,"y":true,"z":null,"w":false,"v":0)") << spot << true;
        QTest::newRow("unknown object") << withTail(event, R"(,"x":{})") << spot << false;
        QTest::newRow("unknown array") << withTail(event, R"(,"x":[1])") << spot << false;
        QTest::newRow("unknown exponent") << withTail(event, R"(,"x":1e5)") << spot << false;
        QTest::newRow("unknown leading zero") << withTail(event, R"(,"x":01)") << spot << false;
        QTest::newRow("unknown escape")
            << withTail(event, QStringLiteral(",\"x\":\"a\\\"b\"")) << spot << false;
        QTest::newRow("unknown without value") << withTail(event, R"(,"x":)") << spot << false;
        QTest::newRow("known key repeated") << withTail(event, R"(,"U":5)") << spot << false;
        QTest::newRow("usdm T on spot after the levels")
            << withTail(event, R"(,"T":5)") << spot << false;
    }
    void scannerTakesOnlyTheCompactShape() {
        QFETCH(QString, frame);
        QFETCH(int, market);
        QFETCH(bool, scanned);
        const std::string text = frame.toStdString();
        const auto binanceMarket = static_cast<BinanceMarket>(market);
        BinanceMessage message;
        std::vector<BinanceLevelText> bids;
        std::vector<BinanceLevelText> asks;
        QCOMPARE(scanCompactDepthEvent(text, binanceMarket, message, bids, asks), scanned);
        Differential differential(binanceMarket);
        const std::string problem = differential.check(text, false);
        QVERIFY2(problem.empty(), problem.c_str());
    }

    void scannedEventHoldsEveryField() {
        // Values written out by hand from the frame.
        const std::string frame =
            R"({"stream":"btcusdt@depth@100ms","data":{"e":"depthUpdate","E":1723161255308,)"
            R"("T":1723161255300,"s":"BTCUSDT","U":50093239203,"u":50093239207,)"
            R"("pu":50093239202,"b":[["55653.87000000","0.00000000"]],)"
            R"("a":[["61838.04000000","0.32332000"],["61844.30000000","0.40163000"]]}})";
        BinanceMessage message;
        std::vector<BinanceLevelText> bids;
        std::vector<BinanceLevelText> asks;
        QVERIFY(scanCompactDepthEvent(frame, BinanceMarket::UsdM, message, bids, asks));
        QCOMPARE(message.kind, BinanceMessageKind::Depth);
        QCOMPARE(message.symbol, std::string_view("BTCUSDT"));
        QCOMPARE(message.depth.eventMs, std::uint64_t{1723161255308});
        QCOMPARE(message.depth.transactionMs, std::uint64_t{1723161255300});
        QCOMPARE(message.depth.ids.first, std::uint64_t{50093239203});
        QCOMPARE(message.depth.ids.last, std::uint64_t{50093239207});
        QCOMPARE(message.depth.ids.previous, std::int64_t{50093239202});
        QCOMPARE(message.depth.bids.size(), std::size_t{1});
        QCOMPARE(message.depth.bids[0].price, std::string_view("55653.87000000"));
        QCOMPARE(message.depth.bids[0].qty, std::string_view("0.00000000"));
        QCOMPARE(message.depth.asks.size(), std::size_t{2});
        QCOMPARE(message.depth.asks[1].price, std::string_view("61844.30000000"));
        QCOMPARE(message.depth.asks[1].qty, std::string_view("0.40163000"));
    }

    void scannedSnapshotHoldsEveryField() {
        const std::string body = R"({"lastUpdateId":1027024,"E":1589436922972,)"
                                 R"("T":1589436922959,"bids":[["4.00000000","431.00000000"]],)"
                                 R"("asks":[["4.00000200","12.00000000"]]})";
        BinanceSnapshotText snapshot;
        std::vector<BinanceLevelText> bids;
        std::vector<BinanceLevelText> asks;
        QVERIFY(!scanCompactDepthSnapshot(body, BinanceMarket::Spot, snapshot, bids, asks));
        bids.clear();
        asks.clear();
        QVERIFY(scanCompactDepthSnapshot(body, BinanceMarket::UsdM, snapshot, bids, asks));
        QCOMPARE(snapshot.kind, BinanceMessageKind::Depth);
        QCOMPARE(snapshot.lastUpdateId, std::uint64_t{1027024});
        QCOMPARE(snapshot.timeMs, std::uint64_t{1589436922959});  // T, when the book was taken
        QCOMPARE(snapshot.bids.size(), std::size_t{1});
        QCOMPARE(snapshot.asks[0].price, std::string_view("4.00000200"));
        QCOMPARE(snapshot.asks[0].qty, std::string_view("12.00000000"));
    }

  private:
    std::vector<testing::CaptureLine> lines_;
};

QTEST_GUILESS_MAIN(TestBinanceDepthScanner)
#include "tst_binance_depth_scanner.moc"
