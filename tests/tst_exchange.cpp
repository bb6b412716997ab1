// flowscope-exchange end to end: the built binary is started with QProcess and driven over stdin;
// a minimal Boost.Beast TLS client written here (trusting TestTls's CA) checks the Binance and
// Kraken wire protocols and every fault. Expected values are computed here independently: the
// Binance book is rebuilt by Binance's documented procedure, Kraken's CRC32 checksums from the
// client's own book with Kraken's documented v2 algorithm, LOBSTER prices from the CSV itself.
#include <QDateTime>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

#include <zlib.h>

#include <chrono>
#include <cmath>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "test_tls.h"

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using namespace std::chrono_literals;
using Millis = std::chrono::milliseconds;

namespace {

// ---- the exchange process ----

class ExchangeProcess {
  public:
    ExchangeProcess(const flowscope::testing::TestTls& tls, const QStringList& extra) {
        QStringList args{"--cert", QString::fromStdString(tls.serverCert), "--key",
                         QString::fromStdString(tls.serverKey)};
        process_.start(FLOWSCOPE_EXCHANGE, args + extra);
        if (!process_.waitForStarted(5000)) return;
        listeningLine_ = readLine(5000);
        const auto match =
            QRegularExpression("^listening 127\\.0\\.0\\.1:(\\d+)$").match(listeningLine_);
        if (match.hasMatch()) port_ = static_cast<std::uint16_t>(match.captured(1).toUInt());
    }
    ~ExchangeProcess() {
        if (process_.state() == QProcess::NotRunning) return;
        process_.write("quit\n");
        if (!process_.waitForFinished(3000)) process_.kill();
        process_.waitForFinished(1000);
    }

    std::uint16_t port() const { return port_; }
    const QString& listeningLine() const { return listeningLine_; }
    QProcess& process() { return process_; }

    /// Sends one control command and returns its one-line answer.
    QString command(const QString& line) {
        process_.write((line + "\n").toUtf8());
        return readLine(3000);
    }
    /// `book N` / `stats`: the JSON after "ok ".
    QJsonObject jsonCommand(const QString& line) {
        const QString answer = command(line);
        if (!answer.startsWith("ok ")) return {};
        return QJsonDocument::fromJson(answer.mid(3).toUtf8()).object();
    }

  private:
    QString readLine(int timeoutMs) {
        QElapsedTimer timer;
        timer.start();
        while (!process_.canReadLine() && timer.elapsed() < timeoutMs)
            process_.waitForReadyRead(static_cast<int>(timeoutMs - timer.elapsed()));
        return QString::fromUtf8(process_.readLine()).trimmed();
    }

    QProcess process_;
    QString listeningLine_;
    std::uint16_t port_ = 0;
};

// ---- a minimal TLS client: each one owns its io_context and runs it only while waiting ----

class TlsClient {
  public:
    explicit TlsClient(const std::string& caFile) : tls_(ssl::context::tls_client) {
        tls_.load_verify_file(caFile);
        tls_.set_verify_mode(ssl::verify_peer);
    }

  protected:
    /// Runs the loop until `done` or the timeout; false on timeout.
    bool runUntil(const bool& done, Millis timeout) {
        const auto deadline = std::chrono::steady_clock::now() + timeout;
        while (!done && std::chrono::steady_clock::now() < deadline) {
            io_.restart();
            io_.run_one_until(deadline);
        }
        return done;
    }

    beast::error_code connectTls(beast::ssl_stream<beast::tcp_stream>& stream, std::uint16_t port) {
        SSL_set_tlsext_host_name(stream.native_handle(), "localhost");
        stream.set_verify_callback(ssl::host_name_verification("localhost"));
        beast::error_code result = asio::error::timed_out;
        bool done = false;
        const asio::ip::tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), port);
        beast::get_lowest_layer(stream).async_connect(endpoint, [&](beast::error_code ec) {
            result = ec;
            done = true;
        });
        if (!runUntil(done, 2s) || result) return result;
        done = false;
        result = asio::error::timed_out;
        stream.async_handshake(ssl::stream_base::client, [&](beast::error_code ec) {
            result = ec;
            done = true;
        });
        runUntil(done, 2s);
        return result;
    }

    asio::io_context io_;
    ssl::context tls_;
};

struct HttpResult {
    beast::error_code error;
    int status = 0;
    QJsonDocument json;
};

class RestClient : public TlsClient {
  public:
    using TlsClient::TlsClient;

    HttpResult get(std::uint16_t port, const std::string& target) {
        HttpResult out;
        beast::ssl_stream<beast::tcp_stream> stream(io_, tls_);
        if ((out.error = connectTls(stream, port))) return out;
        http::request<http::empty_body> request{http::verb::get, target, 11};
        request.set(http::field::host, "localhost");
        bool done = false;
        out.error = asio::error::timed_out;
        http::async_write(stream, request, [&](beast::error_code ec, std::size_t) {
            out.error = ec;
            done = true;
        });
        if (!runUntil(done, 2s) || out.error) return out;
        beast::flat_buffer buffer;
        http::response<http::string_body> response;
        done = false;
        out.error = asio::error::timed_out;
        http::async_read(stream, buffer, response, [&](beast::error_code ec, std::size_t) {
            out.error = ec;
            done = true;
        });
        runUntil(done, 2s);
        out.status = static_cast<int>(response.result_int());
        out.json = QJsonDocument::fromJson(QByteArray::fromStdString(response.body()));
        return out;
    }

    beast::error_code handshakeOnly(std::uint16_t port) {
        beast::ssl_stream<beast::tcp_stream> stream(io_, tls_);
        return connectTls(stream, port);
    }
};

struct Frame {
    std::string text;
    beast::error_code error;
    bool timedOut = false;
    bool ok() const { return !error && !timedOut; }
    QJsonObject json() const {
        return QJsonDocument::fromJson(QByteArray::fromStdString(text)).object();
    }
};

class WsClient : public TlsClient {
  public:
    using TlsClient::TlsClient;

    beast::error_code connect(std::uint16_t port, const std::string& target) {
        ws_ = std::make_unique<websocket::stream<beast::ssl_stream<beast::tcp_stream>>>(io_, tls_);
        ws_->read_message_max(64u << 20);
        if (auto ec = connectTls(ws_->next_layer(), port)) return ec;
        bool done = false;
        beast::error_code result = asio::error::timed_out;
        ws_->async_handshake("localhost", target, [&](beast::error_code ec) {
            result = ec;
            done = true;
        });
        runUntil(done, 2s);
        return result;
    }

    /// The next frame; a read that times out stays pending and is continued by the next call.
    Frame read(Millis timeout) {
        if (!reading_) {
            reading_ = true;
            readDone_ = false;
            buffer_.clear();
            ws_->async_read(buffer_, [this](beast::error_code ec, std::size_t) {
                readError_ = ec;
                readDone_ = true;
            });
        }
        Frame frame;
        if (!runUntil(readDone_, timeout)) {
            frame.timedOut = true;
            return frame;
        }
        reading_ = false;
        frame.error = readError_;
        frame.text = beast::buffers_to_string(buffer_.data());
        return frame;
    }

    /// The next frame that is valid JSON (skipping nothing else); times out like read().
    QJsonObject readJson(Millis timeout = 2s) {
        const Frame frame = read(timeout);
        return frame.ok() ? frame.json() : QJsonObject{};
    }

    bool write(const std::string& text) {
        bool done = false;
        beast::error_code result = asio::error::timed_out;
        ws_->text(true);
        ws_->async_write(asio::buffer(text), [&](beast::error_code ec, std::size_t) {
            result = ec;
            done = true;
        });
        runUntil(done, 2s);
        return !result;
    }

    /// The close frame the server sent, once a read ended with websocket::error::closed.
    websocket::close_reason closeReason() const { return ws_->reason(); }

  private:
    std::unique_ptr<websocket::stream<beast::ssl_stream<beast::tcp_stream>>> ws_;
    beast::flat_buffer buffer_;
    bool reading_ = false;
    bool readDone_ = false;
    beast::error_code readError_;
};

// ---- Binance: decimal strings as exact integers, the local book by the documented procedure ----

/// "60000.01000000" -> 6000001000000 (units of 1e-8); Binance prints 8 decimals here.
qint64 units8(const QString& text) {
    const qsizetype dot = text.indexOf('.');
    if (dot < 0 || text.size() - dot - 1 != 8) return -1;
    bool ok = false;
    const qint64 value = QString(text).remove(dot, 1).toLongLong(&ok);
    return ok ? value : -1;
}

struct BinanceBook {
    std::map<qint64, qint64> bids;  // price units -> size units
    std::map<qint64, qint64> asks;

    void load(const QJsonObject& snapshot) {
        bids.clear();
        asks.clear();
        for (const auto& level : snapshot["bids"].toArray())
            bids[units8(level[0].toString())] = units8(level[1].toString());
        for (const auto& level : snapshot["asks"].toArray())
            asks[units8(level[0].toString())] = units8(level[1].toString());
    }
    void apply(const QJsonObject& event) {
        for (const char* key : {"b", "a"}) {
            auto& side = key[0] == 'b' ? bids : asks;
            for (const auto& level : event[key].toArray()) {
                const qint64 price = units8(level[0].toString());
                const qint64 qty = units8(level[1].toString());
                if (qty == 0)
                    side.erase(price);
                else
                    side[price] = qty;
            }
        }
    }
};

/// Compares the top `n` of a client book with a `book N` answer (REST shape).
bool sameTop(const BinanceBook& book, const QJsonObject& server, int n, QString& why) {
    const QJsonArray bids = server["bids"].toArray();
    const QJsonArray asks = server["asks"].toArray();
    auto bid = book.bids.rbegin();
    for (int i = 0; i < n && i < bids.size(); ++i, ++bid) {
        if (bid == book.bids.rend() || bid->first != units8(bids[i][0].toString()) ||
            bid->second != units8(bids[i][1].toString())) {
            why = QString("bid level %1 differs").arg(i);
            return false;
        }
    }
    auto ask = book.asks.begin();
    for (int i = 0; i < n && i < asks.size(); ++i, ++ask) {
        if (ask == book.asks.end() || ask->first != units8(asks[i][0].toString()) ||
            ask->second != units8(asks[i][1].toString())) {
            why = QString("ask level %1 differs").arg(i);
            return false;
        }
    }
    return bids.size() == n && asks.size() == n;
}

/// Reads diff events from a raw /ws depth stream until `count` are collected or time runs out.
QList<QJsonObject> readDepthEvents(WsClient& ws, int count, Millis timeout = 3s) {
    QList<QJsonObject> events;
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (events.size() < count && std::chrono::steady_clock::now() < deadline) {
        const Frame frame = ws.read(Millis(200));
        if (frame.error) break;
        if (frame.ok()) events.push_back(frame.json());
    }
    return events;
}

// ---- Kraken: a book of doubles and the v2 checksum, as a client using a JSON library does ----

constexpr int kKrakenPricePrecision = 1;  // --tick 0.1, as BTC/USD on Kraken
constexpr int kKrakenQtyPrecision = 8;    // --lot 0.00000001

struct KrakenBook {
    QMap<qint64, double> bids;  // price in tenths -> qty
    QMap<qint64, double> asks;
    int depth = 10;

    static qint64 key(double price) { return qRound64(price * 10); }

    void apply(const QJsonArray& levels, QMap<qint64, double>& side) {
        for (const auto& value : levels) {
            const QJsonObject level = value.toObject();
            const qint64 price = key(level["price"].toDouble());
            const double qty = level["qty"].toDouble();
            if (qty == 0)
                side.remove(price);
            else
                side[price] = qty;
        }
    }
    void apply(const QJsonObject& data) {
        apply(data["bids"].toArray(), bids);
        apply(data["asks"].toArray(), asks);
        // Kraken sends no delete for a level pushed out of the subscribed depth: truncate.
        while (bids.size() > depth)
            bids.erase(bids.begin());  // lowest bids are the worst
        while (asks.size() > depth)
            asks.erase(std::prev(asks.end()));
    }

    static QByteArray checksumText(double value, int precision) {
        QByteArray text = QByteArray::number(value, 'f', precision);
        text.remove(text.indexOf('.'), 1);
        qsizetype zeros = 0;
        while (zeros < text.size() && text[zeros] == '0')
            ++zeros;
        return text.mid(zeros);
    }
    quint32 checksum() const {
        QByteArray text;
        int n = 0;
        for (auto it = asks.begin(); it != asks.end() && n < 10; ++it, ++n)
            text += checksumText(it.key() / 10.0, kKrakenPricePrecision) +
                    checksumText(it.value(), kKrakenQtyPrecision);
        n = 0;
        for (auto it = bids.end(); it != bids.begin() && n < 10; ++n) {
            --it;
            text += checksumText(it.key() / 10.0, kKrakenPricePrecision) +
                    checksumText(it.value(), kKrakenQtyPrecision);
        }
        return static_cast<quint32>(crc32(0L, reinterpret_cast<const Bytef*>(text.constData()),
                                          static_cast<uInt>(text.size())));
    }
};

/// Reads until a message of `channel` (and `type`, when given) arrives; heartbeats are skipped.
QJsonObject readChannel(WsClient& ws, const QString& channel, const QString& type = {},
                        Millis timeout = 2s) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    while (std::chrono::steady_clock::now() < deadline) {
        const Frame frame = ws.read(Millis(100));
        if (frame.error) return {};
        if (!frame.ok()) continue;
        const QJsonObject message = frame.json();
        if (message["channel"].toString() == channel &&
            (type.isEmpty() || message["type"].toString() == type))
            return message;
    }
    return {};
}

}  // namespace

class TestExchange : public QObject {
    Q_OBJECT

    std::unique_ptr<flowscope::testing::TestTls> tls_;

    std::string ca() const { return tls_->caCert; }
    std::unique_ptr<ExchangeProcess> start(const QStringList& extra = {"--rate", "400"}) {
        return std::make_unique<ExchangeProcess>(*tls_, extra);
    }
    static std::string depthTarget() { return "/ws/btcusdt@depth@100ms"; }

  private slots:
    void initTestCase() { tls_ = std::make_unique<flowscope::testing::TestTls>(); }

    void startsAndPrintsOneListeningLine() {
        auto exchange = start();
        QVERIFY2(exchange->port() > 0, qPrintable(exchange->listeningLine()));
        QCOMPARE(exchange->command("pause"), QString("ok paused"));
        QCOMPARE(exchange->command("resume"), QString("ok resumed"));
        QVERIFY(exchange->command("no-such-command").startsWith("error "));
        QVERIFY(exchange->command("book 0").startsWith("error "));
        QCOMPARE(exchange->command("quit"), QString("ok quit"));
        QVERIFY(exchange->process().waitForFinished(3000));
        QCOMPARE(exchange->process().exitCode(), 0);
    }

    void badArgumentsExitWithTwo_data() {
        QTest::addColumn<QStringList>("args");
        QTest::newRow("no cert") << QStringList{"--rate", "10"};
        QTest::newRow("negative rate") << QStringList{"--cert", "x", "--key", "y", "--rate", "-1"};
        QTest::newRow("bad tick") << QStringList{"--cert", "x", "--key", "y", "--tick", "0"};
        QTest::newRow("unknown option") << QStringList{"--cert", "x", "--key", "y", "--bogus", "1"};
        QTest::newRow("missing cert file") << QStringList{"--cert", "/nonexistent", "--key", "/no"};
    }
    void badArgumentsExitWithTwo() {
        QFETCH(QStringList, args);
        QProcess process;
        process.start(FLOWSCOPE_EXCHANGE, args);
        QVERIFY(process.waitForFinished(5000));
        QCOMPARE(process.exitCode(), 2);
        QVERIFY(process.readAllStandardOutput().isEmpty());
        QVERIFY(!process.readAllStandardError().isEmpty());
    }

    void restSnapshotHasBinanceShape() {
        auto exchange = start();
        RestClient rest(ca());
        const HttpResult ok = rest.get(exchange->port(), "/api/v3/depth?symbol=BTCUSDT&limit=5");
        QVERIFY2(!ok.error, ok.error.message().c_str());
        QCOMPARE(ok.status, 200);
        const QJsonObject body = ok.json.object();
        QVERIFY(body["lastUpdateId"].toDouble() > 0);
        const QJsonArray bids = body["bids"].toArray();
        const QJsonArray asks = body["asks"].toArray();
        QCOMPARE(bids.size(), 5);
        QCOMPARE(asks.size(), 5);
        const QRegularExpression eightDecimals("^\\d+\\.\\d{8}$");
        for (const QJsonArray& side : {bids, asks})
            for (const auto& level : side) {
                QCOMPARE(level.toArray().size(), 2);
                QVERIFY(eightDecimals.match(level[0].toString()).hasMatch());
                QVERIFY(eightDecimals.match(level[1].toString()).hasMatch());
                QVERIFY(units8(level[1].toString()) > 0);
            }
        for (int i = 1; i < 5; ++i) {
            QVERIFY(units8(bids[i][0].toString()) < units8(bids[i - 1][0].toString()));
            QVERIFY(units8(asks[i][0].toString()) > units8(asks[i - 1][0].toString()));
        }
        QVERIFY(units8(bids[0][0].toString()) < units8(asks[0][0].toString()));

        const HttpResult wrongSymbol = rest.get(exchange->port(), "/api/v3/depth?symbol=ETHUSDT");
        QCOMPARE(wrongSymbol.status, 400);
        QCOMPARE(wrongSymbol.json.object()["code"].toInt(), -1121);
    }

    void diffStreamRebuildsTheServerBook() {
        auto exchange = start();
        WsClient ws(ca());
        QVERIFY(!ws.connect(exchange->port(), "/stream?streams=btcusdt@depth@100ms/btcusdt@trade"));
        // Binance's procedure: buffer events, fetch the snapshot, drop events with
        // u <= lastUpdateId, the first applied one straddles lastUpdateId + 1, then U == u + 1.
        QList<QJsonObject> buffered;
        while (buffered.isEmpty()) {
            const Frame frame = ws.read(2s);
            QVERIFY(frame.ok());
            buffered.push_back(frame.json());
        }
        RestClient rest(ca());
        const HttpResult snapshot =
            rest.get(exchange->port(), "/api/v3/depth?symbol=BTCUSDT&limit=1000");
        QCOMPARE(snapshot.status, 200);
        const qint64 lastUpdateId = snapshot.json.object()["lastUpdateId"].toInteger();
        BinanceBook book;
        book.load(snapshot.json.object());

        qint64 previousU = -1;
        int applied = 0;
        int trades = 0;
        auto handle = [&](const QJsonObject& message) -> bool {
            const QJsonObject data = message["data"].toObject();
            if (message["stream"].toString() == "btcusdt@trade") {
                ++trades;
                return data["e"] == "trade" && data["s"] == "BTCUSDT" &&
                       units8(data["p"].toString()) > 0 && units8(data["q"].toString()) > 0 &&
                       data["m"].isBool() && data["t"].toInteger() > 0 && data["T"].toInteger() > 0;
            }
            if (message["stream"].toString() != "btcusdt@depth@100ms" ||
                data["e"] != "depthUpdate" || data["s"] != "BTCUSDT")
                return false;
            const qint64 U = data["U"].toInteger();
            const qint64 u = data["u"].toInteger();
            if (u <= lastUpdateId) return true;
            if (previousU < 0) {
                if (!(U <= lastUpdateId + 1 && lastUpdateId + 1 <= u)) return false;
            } else if (U != previousU + 1) {
                return false;
            }
            previousU = u;
            book.apply(data);
            ++applied;
            return true;
        };
        for (const QJsonObject& message : buffered)
            QVERIFY(handle(message));
        const auto until = std::chrono::steady_clock::now() + 800ms;
        while (std::chrono::steady_clock::now() < until) {
            const Frame frame = ws.read(200ms);
            QVERIFY(!frame.error);
            if (frame.ok()) QVERIFY2(handle(frame.json()), frame.text.c_str());
        }
        QCOMPARE(exchange->command("pause"), QString("ok paused"));
        // The last 100 ms batch still comes after the pause; then the stream is quiet.
        for (;;) {
            const Frame frame = ws.read(350ms);
            if (!frame.ok()) break;
            QVERIFY2(handle(frame.json()), frame.text.c_str());
        }
        QVERIFY(applied >= 5);
        QVERIFY(trades >= 1);
        const QJsonObject server = exchange->jsonCommand("book 20");
        QCOMPARE(server["lastUpdateId"].toInteger(), previousU);
        QString why;
        QVERIFY2(sameTop(book, server, 20, why), qPrintable(why));
    }

    void skipFaultMakesUJump() {
        auto exchange = start();
        WsClient ws(ca());
        QVERIFY(!ws.connect(exchange->port(), depthTarget()));
        // The event read before the fault anchors the sequence: the very next one may jump.
        auto events = readDepthEvents(ws, 1);
        QCOMPARE(events.size(), 1);
        QCOMPARE(exchange->command("fault skip"), QString("ok fault skip armed"));
        events += readDepthEvents(ws, 5);
        QCOMPARE(events.size(), 6);
        int jumps = 0;
        for (int i = 1; i < events.size(); ++i) {
            const qint64 expected = events[i - 1]["u"].toInteger() + 1;
            if (events[i]["U"].toInteger() != expected) {
                QVERIFY(events[i]["U"].toInteger() > expected);
                ++jumps;
            }
        }
        QCOMPARE(jumps, 1);
        QCOMPARE(exchange->jsonCommand("stats")["faultsInjected"].toObject()["skip"].toInt(), 1);
    }

    void duplicateFaultRepeatsOneEvent() {
        auto exchange = start();
        WsClient ws(ca());
        QVERIFY(!ws.connect(exchange->port(), depthTarget()));
        auto events = readDepthEvents(ws, 1);
        QCOMPARE(events.size(), 1);
        QCOMPARE(exchange->command("fault duplicate"), QString("ok fault duplicate armed"));
        events += readDepthEvents(ws, 5);
        QCOMPARE(events.size(), 6);
        int duplicates = 0;
        for (int i = 1; i < events.size(); ++i) {
            if (events[i] == events[i - 1]) {
                ++duplicates;
            } else {
                QCOMPARE(events[i]["U"].toInteger(), events[i - 1]["u"].toInteger() + 1);
            }
        }
        QCOMPARE(duplicates, 1);
    }

    void reorderFaultSwapsTwoEvents() {
        auto exchange = start();
        WsClient ws(ca());
        QVERIFY(!ws.connect(exchange->port(), depthTarget()));
        auto events = readDepthEvents(ws, 1);
        QCOMPARE(events.size(), 1);
        QCOMPARE(exchange->command("fault reorder"), QString("ok fault reorder armed"));
        events += readDepthEvents(ws, 6);
        QCOMPARE(events.size(), 7);
        // In order except one adjacent pair: a, c, b, d with b.U == a.u + 1, c.U == b.u + 1 and
        // d.U == c.u + 1.
        int swaps = 0;
        qint64 expectedU = events[0]["u"].toInteger() + 1;
        for (int i = 1; i < events.size(); ++i) {
            if (events[i]["U"].toInteger() == expectedU) {
                expectedU = events[i]["u"].toInteger() + 1;
                continue;
            }
            QVERIFY(i + 1 < events.size());
            QCOMPARE(events[i + 1]["U"].toInteger(), expectedU);
            QCOMPARE(events[i]["U"].toInteger(), events[i + 1]["u"].toInteger() + 1);
            expectedU = events[i]["u"].toInteger() + 1;
            ++swaps;
            ++i;
        }
        QCOMPARE(swaps, 1);
    }

    void malformedFaultSendsInvalidJson() {
        auto exchange = start();
        WsClient ws(ca());
        QVERIFY(!ws.connect(exchange->port(), depthTarget()));
        QCOMPARE(readDepthEvents(ws, 1).size(), 1);
        QCOMPARE(exchange->command("fault malformed"),
                 QString("ok fault malformed: sent to 1 connections"));
        bool sawInvalid = false;
        for (int i = 0; i < 5 && !sawInvalid; ++i) {
            const Frame frame = ws.read(1s);
            QVERIFY(frame.ok());
            QJsonParseError error;
            QJsonDocument::fromJson(QByteArray::fromStdString(frame.text), &error);
            sawInvalid = error.error != QJsonParseError::NoError;
        }
        QVERIFY(sawInvalid);
        QVERIFY(!readDepthEvents(ws, 1).isEmpty());  // the stream goes on
    }

    void dropFaultResetsEveryWebSocket() {
        auto exchange = start();
        WsClient binance(ca());
        WsClient kraken(ca());
        QVERIFY(!binance.connect(exchange->port(), depthTarget()));
        QVERIFY(!kraken.connect(exchange->port(), "/v2"));
        QCOMPARE(readChannel(kraken, "status")["type"].toString(), QString("update"));
        QCOMPARE(readDepthEvents(binance, 1).size(), 1);
        QCOMPARE(exchange->command("fault drop"), QString("ok fault drop: 2 connections reset"));
        for (WsClient* ws : {&binance, &kraken}) {
            Frame frame;
            for (int i = 0; i < 20; ++i) {
                frame = ws->read(200ms);
                if (frame.error) break;
            }
            QVERIFY(frame.error);
        }
        // The exchange itself goes on: a new client connects.
        WsClient again(ca());
        QVERIFY(!again.connect(exchange->port(), depthTarget()));
        QCOMPARE(readDepthEvents(again, 1).size(), 1);
    }

    void dropFaultWhileWritingKeepsTheExchangeUp() {
        // Drops land while writes complete: a write that finished just before the reset must not
        // touch the dropped queue (this crashed the exchange and failed a CI run). Each round
        // connects fresh clients to a busy trade stream, so every drop meets writes in flight.
        auto exchange = start({"--rate", "20000"});
        constexpr int kRounds = 25;
        constexpr int kClients = 4;
        for (int round = 0; round < kRounds; ++round) {
            const QString where = QString("round %1").arg(round);
            std::vector<std::unique_ptr<WsClient>> clients;
            for (int i = 0; i < kClients; ++i) {
                clients.push_back(std::make_unique<WsClient>(ca()));
                QVERIFY2(!clients.back()->connect(
                             exchange->port(), "/stream?streams=btcusdt@trade/btcusdt@depth@100ms"),
                         qPrintable(where));
            }
            QVERIFY2(clients.front()->read(2s).ok(), qPrintable(where));  // the stream flows
            QTest::qWait(10 + round * 7 % 40);
            const QString answer = exchange->command("fault drop");
            QVERIFY2(answer == QString("ok fault drop: %1 connections reset").arg(kClients),
                     qPrintable(where + ": '" + answer + "'"));
        }
        QCOMPARE(exchange->jsonCommand("stats")["connections"].toObject()["dropped"].toInt(),
                 kRounds * kClients);
    }

    void refuseTlsFailsTheNextHandshakes() {
        auto exchange = start();
        QCOMPARE(exchange->command("fault refuse-tls 2"), QString("ok fault refuse-tls 2 armed"));
        RestClient rest(ca());
        QVERIFY(rest.handshakeOnly(exchange->port()));
        QVERIFY(rest.handshakeOnly(exchange->port()));
        QVERIFY(!rest.handshakeOnly(exchange->port()));
        QCOMPARE(exchange->jsonCommand("stats")["connections"].toObject()["tlsRefused"].toInt(), 2);
    }

    void stallFaultSilencesEverything() {
        auto exchange = start();
        WsClient binance(ca());
        WsClient kraken(ca());
        QVERIFY(!binance.connect(exchange->port(), depthTarget()));
        QVERIFY(!kraken.connect(exchange->port(), "/v2"));
        QVERIFY(kraken.write(
            R"({"method":"subscribe","params":{"channel":"trade","symbol":["BTC/USD"]}})"));
        QVERIFY(readChannel(kraken, "status").size() > 0);
        QCOMPARE(readDepthEvents(binance, 1).size(), 1);
        // Drain what was queued before the stall.
        while (binance.read(20ms).ok()) {
        }
        while (kraken.read(20ms).ok()) {
        }
        QCOMPARE(exchange->command("fault stall 0.8"), QString("ok fault stall 0.8"));
        QElapsedTimer timer;
        timer.start();
        QVERIFY(kraken.write(R"({"method":"ping","req_id":7})"));
        // Frames already in flight may land in the first few ms; after that, silence.
        while (binance.read(20ms).ok() && timer.elapsed() < 50) {
        }
        const Frame quietBinance = binance.read(Millis(std::max<qint64>(1, 650 - timer.elapsed())));
        QVERIFY2(quietBinance.timedOut, quietBinance.text.c_str());
        const Frame quietKraken = kraken.read(Millis(std::max<qint64>(1, 700 - timer.elapsed())));
        QVERIFY2(quietKraken.timedOut, quietKraken.text.c_str());
        // After the stall the stream resumes, and the ping is answered only then.
        QJsonObject message;
        while (message["method"].toString() != "pong") {
            const Frame frame = kraken.read(2s);
            QVERIFY(frame.ok());
            message = frame.json();
        }
        QVERIFY(timer.elapsed() >= 750);
        QCOMPARE(message["req_id"].toInt(), 7);
        QCOMPARE(readDepthEvents(binance, 1).size(), 1);
    }

    void hugeFaultSendsOneFrameOfThatSize() {
        auto exchange = start();
        WsClient ws(ca());
        QVERIFY(!ws.connect(exchange->port(), depthTarget()));
        QCOMPARE(readDepthEvents(ws, 1).size(), 1);
        constexpr std::size_t kBytes = 3'000'001;
        QCOMPARE(exchange->command("fault huge 3000001"),
                 QString("ok fault huge 3000001: sent to 1 connections"));
        bool sawHuge = false;
        for (int i = 0; i < 10 && !sawHuge; ++i) {
            const Frame frame = ws.read(2s);
            QVERIFY(frame.ok());
            sawHuge = frame.text.size() == kBytes;
        }
        QVERIFY(sawHuge);
    }

    void restErrorFaultFailsTheNextRequestOnly() {
        auto exchange = start();
        RestClient rest(ca());
        QCOMPARE(exchange->command("fault rest-error"), QString("ok fault rest-error 500 armed"));
        const HttpResult failed = rest.get(exchange->port(), "/api/v3/depth?symbol=BTCUSDT");
        QCOMPARE(failed.status, 500);
        QVERIFY(failed.json.object()["code"].toInt() < 0);
        QVERIFY(failed.json.object().contains("msg"));
        QCOMPARE(exchange->command("fault rest-error 429"),
                 QString("ok fault rest-error 429 armed"));
        const HttpResult limited = rest.get(exchange->port(), "/api/v3/depth?symbol=BTCUSDT");
        QCOMPARE(limited.status, 429);
        QCOMPARE(limited.json.object()["code"].toInt(), -1003);
        const HttpResult fine = rest.get(exchange->port(), "/api/v3/depth?symbol=BTCUSDT");
        QCOMPARE(fine.status, 200);
        const qsizetype levels = fine.json.object()["bids"].toArray().size();
        QVERIFY(levels > 0 && levels <= 100);  // Binance's default limit
    }

    void staleSnapshotIsOlderThanTheFirstBufferedEvent() {
        auto exchange = start();
        WsClient ws(ca());
        QVERIFY(!ws.connect(exchange->port(), depthTarget()));
        const auto first = readDepthEvents(ws, 1);
        QCOMPARE(first.size(), 1);
        const qint64 firstU = first[0]["U"].toInteger();
        QCOMPARE(exchange->command("fault stale-snapshot"),
                 QString("ok fault stale-snapshot armed"));
        RestClient rest(ca());
        const HttpResult stale = rest.get(exchange->port(), "/api/v3/depth?symbol=BTCUSDT&limit=5");
        QCOMPARE(stale.status, 200);
        QVERIFY(stale.json.object()["lastUpdateId"].toInteger() + 1 < firstU);
        QCOMPARE(stale.json.object()["bids"].toArray().size(), 5);
        // The refetch is current: the buffered stream covers it.
        const HttpResult fresh = rest.get(exchange->port(), "/api/v3/depth?symbol=BTCUSDT&limit=5");
        QVERIFY(fresh.json.object()["lastUpdateId"].toInteger() + 1 >= firstU);
    }

    void manyClientsSeeTheSameStream() {
        auto exchange = start();
        constexpr int kClients = 8;
        std::vector<std::unique_ptr<WsClient>> clients;
        for (int i = 0; i < kClients; ++i) {
            clients.push_back(std::make_unique<WsClient>(ca()));
            QVERIFY(!clients.back()->connect(exchange->port(), depthTarget()));
        }
        QMap<qint64, QJsonObject> byU;
        for (auto& client : clients) {
            for (const QJsonObject& event : readDepthEvents(*client, 3)) {
                const qint64 U = event["U"].toInteger();
                if (byU.contains(U)) QCOMPARE(event, byU[U]);
                byU[U] = event;
            }
        }
        QVERIFY(byU.size() >= 3);
        QCOMPARE(exchange->jsonCommand("stats")["connections"].toObject()["wsOpen"].toInt(),
                 kClients);
        clients.resize(kClients / 2);  // half of them leave without closing
        QVERIFY(!readDepthEvents(*clients.front(), 2).isEmpty());
    }

    void krakenBookUpdatesCarryValidChecksums() {
        auto exchange = start({"--rate", "400", "--tick", "0.1", "--lot", "0.00000001"});
        WsClient ws(ca());
        QVERIFY(!ws.connect(exchange->port(), "/v2"));
        const QJsonObject status = readChannel(ws, "status");
        QCOMPARE(status["data"][0]["api_version"].toString(), QString("v2"));
        QVERIFY(ws.write(
            R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10},"req_id":3})"));
        const QJsonObject ack = ws.readJson();
        QCOMPARE(ack["method"].toString(), QString("subscribe"));
        QCOMPARE(ack["success"].toBool(), true);
        QCOMPARE(ack["req_id"].toInt(), 3);
        QCOMPARE(ack["result"]["depth"].toInt(), 10);
        QCOMPARE(ack["result"]["symbol"].toString(), QString("BTC/USD"));
        const QJsonObject snapshot = readChannel(ws, "book", "snapshot");
        const QJsonObject snapshotData = snapshot["data"][0].toObject();
        QCOMPARE(snapshotData["bids"].toArray().size(), 10);
        QCOMPARE(snapshotData["asks"].toArray().size(), 10);
        KrakenBook book;
        book.apply(snapshotData);
        QCOMPARE(static_cast<quint32>(snapshotData["checksum"].toInteger()), book.checksum());

        int verified = 0;
        const auto until = std::chrono::steady_clock::now() + 700ms;
        while (std::chrono::steady_clock::now() < until) {
            const QJsonObject update = readChannel(ws, "book", "update", 300ms);
            if (update.isEmpty()) continue;
            const QJsonObject data = update["data"][0].toObject();
            QVERIFY(!data["timestamp"].toString().isEmpty());
            book.apply(data);
            QCOMPARE(static_cast<quint32>(data["checksum"].toInteger()), book.checksum());
            // Only levels inside the subscribed depth are sent.
            for (const char* key : {"bids", "asks"})
                for (const auto& level : data[key].toArray())
                    if (level.toObject()["qty"].toDouble() > 0) {
                        const qint64 price = KrakenBook::key(level.toObject()["price"].toDouble());
                        QVERIFY((key[0] == 'b' ? book.bids : book.asks).contains(price));
                    }
            ++verified;
        }
        QVERIFY2(verified >= 10, qPrintable(QString::number(verified)));

        // After a pause the client's book is the server's top 10.
        QCOMPARE(exchange->command("pause"), QString("ok paused"));
        for (;;) {
            const QJsonObject update = readChannel(ws, "book", "update", 200ms);
            if (update.isEmpty()) break;
            book.apply(update["data"][0].toObject());
        }
        const QJsonObject server = exchange->jsonCommand("book 10");
        for (int i = 0; i < 10; ++i) {
            const auto bid = std::prev(book.bids.end(), i + 1);
            QCOMPARE(bid.key() * 10'000'000, units8(server["bids"][i][0].toString()));
            QCOMPARE(qRound64(bid.value() * 1e8), units8(server["bids"][i][1].toString()));
            const auto ask = std::next(book.asks.begin(), i);
            QCOMPARE(ask.key() * 10'000'000, units8(server["asks"][i][0].toString()));
            QCOMPARE(qRound64(ask.value() * 1e8), units8(server["asks"][i][1].toString()));
        }
        // Quiet market: heartbeats; and the application ping.
        QVERIFY(!readChannel(ws, "heartbeat", {}, 1500ms).isEmpty());
        QVERIFY(ws.write(R"({"method":"ping","req_id":42})"));
        QJsonObject pong;
        while (pong["method"].toString() != "pong") {
            pong = ws.readJson();
            QVERIFY(!pong.isEmpty());
        }
        QCOMPARE(pong["req_id"].toInt(), 42);
        QVERIFY(ws.write(
            R"({"method":"unsubscribe","params":{"channel":"book","symbol":["BTC/USD"],"depth":10}})"));
        QJsonObject unsubscribed;
        while (unsubscribed["method"].toString() != "unsubscribe") {
            unsubscribed = ws.readJson();
            QVERIFY(!unsubscribed.isEmpty());
        }
        QCOMPARE(unsubscribed["success"].toBool(), true);
    }

    void krakenCorruptChecksumIsOneMismatch() {
        auto exchange = start({"--rate", "400", "--tick", "0.1", "--lot", "0.00000001"});
        WsClient ws(ca());
        QVERIFY(!ws.connect(exchange->port(), "/v2"));
        QVERIFY(ws.write(
            R"({"method":"subscribe","params":{"channel":"book","symbol":["BTC/USD","ETH/USD"],"depth":25}})"));
        // One answer per symbol: ETH/USD is not listed here.
        bool sawRejection = false;
        QJsonObject snapshot;
        while (snapshot.isEmpty() || !sawRejection) {
            const QJsonObject message = ws.readJson();
            QVERIFY(!message.isEmpty());
            if (message["symbol"].toString() == "ETH/USD") {
                QCOMPARE(message["success"].toBool(), false);
                sawRejection = true;
            }
            if (message["type"].toString() == "snapshot") snapshot = message;
        }
        KrakenBook book;
        book.depth = 25;
        book.apply(snapshot["data"][0].toObject());
        QCOMPARE(static_cast<quint32>(snapshot["data"][0]["checksum"].toInteger()),
                 book.checksum());
        QCOMPARE(exchange->command("fault corrupt-checksum"),
                 QString("ok fault corrupt-checksum armed"));
        int mismatches = 0;
        int matches = 0;
        const auto until = std::chrono::steady_clock::now() + 500ms;
        while (std::chrono::steady_clock::now() < until) {
            const QJsonObject update = readChannel(ws, "book", "update", 300ms);
            if (update.isEmpty()) continue;
            book.apply(update["data"][0].toObject());
            if (static_cast<quint32>(update["data"][0]["checksum"].toInteger()) == book.checksum())
                ++matches;
            else
                ++mismatches;
        }
        QCOMPARE(mismatches, 1);
        QVERIFY(matches >= 5);
    }

    void lobsterScenarioReplaysTheFile() {
        const QString messages =
            QString(FLOWSCOPE_TEST_DATA) +
            "/lobster/AAPL_2012-06-21_34200000_57600000_message_10.first999.csv";
        const QString books =
            QString(FLOWSCOPE_TEST_DATA) +
            "/lobster/AAPL_2012-06-21_34200000_57600000_orderbook_10.first999.csv";
        // The exchange starts from the first row and applies 10 rows before it listens, so the
        // paused book is row 11, read here: ask price, ask size, bid price, bid size per level.
        QFile file(books);
        QVERIFY(file.open(QIODevice::ReadOnly));
        for (int row = 1; row < 11; ++row)
            file.readLine();
        const QList<QByteArray> columns = file.readLine().trimmed().split(',');
        QVERIFY(columns.size() >= 4);
        auto ticksToUnits8 = [](const QByteArray& lobsterPrice) {
            return lobsterPrice.toLongLong() * 10'000;  // 1e-4 dollars -> 1e-8
        };
        auto exchange =
            start({"--scenario", "lobster:" + messages + "," + books, "--rate", "1", "--lot", "1"});
        QVERIFY(exchange->port() > 0);
        QCOMPARE(exchange->command("pause"), QString("ok paused"));
        const QJsonObject top = exchange->jsonCommand("book 1");
        QCOMPARE(units8(top["asks"][0][0].toString()), ticksToUnits8(columns[0]));
        QCOMPARE(units8(top["asks"][0][1].toString()), columns[1].toLongLong() * 100'000'000);
        QCOMPARE(units8(top["bids"][0][0].toString()), ticksToUnits8(columns[2]));
        QCOMPARE(units8(top["bids"][0][1].toString()), columns[3].toLongLong() * 100'000'000);
        // Replayed fast, the whole slice streams through and the market then stops.
        auto fast = start(
            {"--scenario", "lobster:" + messages + "," + books, "--rate", "5000", "--lot", "1"});
        QTest::qWait(400);
        const QJsonObject stats = fast->jsonCommand("stats");
        QCOMPARE(stats["sourceEvents"].toInt(), 998);  // every row after the starting one
        QCOMPARE(stats["scenarioFinished"].toBool(), true);
        QCOMPARE(stats["sourceRejected"].toInt(), 0);
        QVERIFY(stats["trades"].toInt() > 0);
    }

    // ---- Binance USD-M (--binance-market usdm): the 2026 routing of fstream.binance.com ----

    std::unique_ptr<ExchangeProcess> startUsdm() {
        return start({"--binance-market", "usdm", "--rate", "400"});
    }

    void usdmPublicDepthRebuildsTheServerBookAndMarketCarriesAggTrades() {
        auto exchange = startUsdm();
        WsClient depth(ca());
        QVERIFY(!depth.connect(exchange->port(), "/public/stream?streams=btcusdt@depth@100ms"));
        WsClient trades(ca());
        QVERIFY(!trades.connect(exchange->port(), "/market/stream?streams=btcusdt@aggTrade"));
        QList<QJsonObject> buffered;
        while (buffered.isEmpty()) {
            const Frame frame = depth.read(2s);
            QVERIFY(frame.ok());
            buffered.push_back(frame.json());
        }
        RestClient rest(ca());
        const HttpResult snapshot =
            rest.get(exchange->port(), "/fapi/v1/depth?symbol=BTCUSDT&limit=1000");
        QCOMPARE(snapshot.status, 200);
        const QJsonObject body = snapshot.json.object();
        QVERIFY(body["E"].toInteger() > 0 && body["T"].toInteger() > 0);
        const qint64 lastUpdateId = body["lastUpdateId"].toInteger();
        BinanceBook book;
        book.load(body);
        // USD-M's documented procedure: drop u < lastUpdateId; the first applied event has
        // U <= lastUpdateId <= u; then each event's pu is the previous event's u.
        qint64 previousU = -1;
        int applied = 0;
        auto handle = [&](const QJsonObject& message) -> bool {
            const QJsonObject data = message["data"].toObject();
            if (message["stream"].toString() != "btcusdt@depth@100ms" ||
                data["e"] != "depthUpdate" || data["s"] != "BTCUSDT" || !data["T"].isDouble() ||
                !data["pu"].isDouble() || data["ps"] != "BTCUSDT" || !data.contains("st"))
                return false;
            const qint64 U = data["U"].toInteger();
            const qint64 u = data["u"].toInteger();
            if (u < lastUpdateId) return true;
            if (previousU < 0) {
                if (!(U <= lastUpdateId && lastUpdateId <= u)) return false;
            } else if (data["pu"].toInteger() != previousU) {
                return false;
            }
            previousU = u;
            book.apply(data);
            ++applied;
            return true;
        };
        for (const QJsonObject& message : buffered)
            QVERIFY(handle(message));
        int aggTrades = 0;
        const auto until = std::chrono::steady_clock::now() + 800ms;
        while (std::chrono::steady_clock::now() < until) {
            const Frame frame = depth.read(100ms);
            QVERIFY(!frame.error);
            if (frame.ok()) QVERIFY2(handle(frame.json()), frame.text.c_str());
            const Frame trade = trades.read(20ms);
            QVERIFY(!trade.error);
            if (!trade.ok()) continue;
            const QJsonObject message = trade.json();
            const QJsonObject data = message["data"].toObject();
            QCOMPARE(message["stream"].toString(), QString("btcusdt@aggTrade"));
            QCOMPARE(data["e"].toString(), QString("aggTrade"));
            QVERIFY(units8(data["p"].toString()) > 0);
            QVERIFY(units8(data["q"].toString()) > 0);
            QCOMPARE(data["nq"].toString(), data["q"].toString());
            QVERIFY(data["a"].toInteger() > 0 && data["T"].toInteger() > 0 && data["m"].isBool());
            ++aggTrades;
        }
        QCOMPARE(exchange->command("pause"), QString("ok paused"));
        for (;;) {
            const Frame frame = depth.read(350ms);
            if (!frame.ok()) break;
            QVERIFY2(handle(frame.json()), frame.text.c_str());
        }
        QVERIFY(applied >= 5);
        QVERIFY(aggTrades >= 1);
        const QJsonObject server = exchange->jsonCommand("book 20");
        QCOMPARE(server["lastUpdateId"].toInteger(), previousU);
        QString why;
        QVERIFY2(sameTop(book, server, 20, why), qPrintable(why));
    }

    void usdmLegacyRootAndWrongCategoryAreSilent() {
        auto exchange = startUsdm();
        WsClient live(ca());
        QVERIFY(!live.connect(exchange->port(), "/public/ws/btcusdt@depth@100ms"));
        // Each is accepted, as Binance accepts them, and then gets nothing.
        const std::vector<std::string> silentTargets = {
            "/stream?streams=btcusdt@depth@100ms/btcusdt@aggTrade",
            "/ws/btcusdt@depth@100ms",
            "/market/stream?streams=btcusdt@depth@100ms",
            "/public/stream?streams=btcusdt@aggTrade",
        };
        std::vector<std::unique_ptr<WsClient>> silent;
        for (const std::string& target : silentTargets) {
            silent.push_back(std::make_unique<WsClient>(ca()));
            QVERIFY2(!silent.back()->connect(exchange->port(), target), target.c_str());
        }
        // A SUBSCRIBE on the legacy root is answered, and still nothing flows.
        WsClient subscribed(ca());
        QVERIFY(!subscribed.connect(exchange->port(), "/ws"));
        QVERIFY(subscribed.write(
            R"({"method":"SUBSCRIBE","params":["btcusdt@depth@100ms","btcusdt@aggTrade"],"id":7})"));
        const QJsonObject answer = subscribed.readJson();
        QCOMPARE(answer["id"].toInt(), 7);
        QVERIFY(answer.contains("result") && answer["result"].isNull());
        // While the right category carries at least five events...
        QCOMPARE(readDepthEvents(live, 5).size(), 5);
        // ... the others got none (what they had is queued at the client by now).
        for (std::size_t i = 0; i < silent.size(); ++i) {
            const Frame frame = silent[i]->read(50ms);
            QVERIFY2(frame.timedOut, (silentTargets[i] + ": " + frame.text).c_str());
        }
        QVERIFY(subscribed.read(50ms).timedOut);
        // Spot's REST path is not this host's.
        RestClient rest(ca());
        QCOMPARE(rest.get(exchange->port(), "/api/v3/depth?symbol=BTCUSDT").status, 404);
        QCOMPARE(rest.get(exchange->port(), "/fapi/v1/depth?symbol=BTCUSDT&limit=7").status, 400);
        const HttpResult snapshot = rest.get(exchange->port(), "/fapi/v1/depth?symbol=BTCUSDT");
        QCOMPARE(snapshot.status, 200);
        QVERIFY(snapshot.json.object()["bids"].toArray().size() > 0);
    }

    void usdmMuteSilencesOneCategoryOnly() {
        auto exchange = startUsdm();
        QVERIFY(exchange->command("mute trades").startsWith("error"));
        QCOMPARE(exchange->command("mute market"), QString("ok mute market"));
        WsClient depth(ca());
        QVERIFY(!depth.connect(exchange->port(), "/public/ws/btcusdt@depth@100ms"));
        WsClient trades(ca());
        QVERIFY(!trades.connect(exchange->port(), "/market/ws/btcusdt@aggTrade"));
        QCOMPARE(readDepthEvents(depth, 5).size(), 5);
        QVERIFY(trades.read(50ms).timedOut);
        QCOMPARE(exchange->command("unmute market"), QString("ok unmute market"));
        const Frame trade = trades.read(3s);
        QVERIFY2(trade.ok(), trade.error.message().c_str());
        QCOMPARE(trade.json()["e"].toString(), QString("aggTrade"));
    }

    void muteNeedsUsdm() {
        auto exchange = start();
        QVERIFY(exchange->command("mute market").startsWith("error"));
    }

    void serverShutdownAnnouncesThenClosesEveryBinanceWebSocket() {
        auto exchange = start();
        WsClient raw(ca());
        WsClient combined(ca());
        WsClient kraken(ca());
        QVERIFY(!raw.connect(exchange->port(), depthTarget()));
        QVERIFY(!combined.connect(exchange->port(), "/stream?streams=btcusdt@depth@100ms"));
        QVERIFY(!kraken.connect(exchange->port(), "/v2"));
        QCOMPARE(readDepthEvents(raw, 1).size(), 1);
        QCOMPARE(readChannel(kraken, "status")["type"].toString(), QString("update"));
        const qint64 sentMs = QDateTime::currentMSecsSinceEpoch();
        QCOMPARE(exchange->command("server-shutdown 0.5"),
                 QString("ok server-shutdown: sent to 2 connections, closing them in 500 ms"));
        // Binance's shapes (web-socket-streams.md, "Server Shutdown"): the raw event, and the
        // combined stream's envelope named "!serverShutdown"; nothing else in either.
        const auto expectEvent = [&](const QJsonObject& event) {
            QCOMPARE(event.keys(), (QStringList{"E", "e"}));
            QCOMPARE(event["e"].toString(), QString("serverShutdown"));
            const qint64 eventMs = static_cast<qint64>(event["E"].toDouble());
            QVERIFY(std::abs(eventMs - sentMs) < 5000);
        };
        const auto readUntil = [](WsClient& ws, const std::function<bool(const QJsonObject&)>& is) {
            for (int i = 0; i < 50; ++i) {
                const Frame frame = ws.read(1s);
                if (!frame.ok()) return QJsonObject{};
                if (is(frame.json())) return frame.json();
            }
            return QJsonObject{};
        };
        const QJsonObject rawEvent =
            readUntil(raw, [](const QJsonObject& o) { return o["e"] == "serverShutdown"; });
        expectEvent(rawEvent);
        const QJsonObject envelope = readUntil(combined, [](const QJsonObject& o) {
            return o.contains("stream") && o["stream"] != "btcusdt@depth@100ms";
        });
        QCOMPARE(envelope.keys(), (QStringList{"data", "stream"}));
        QCOMPARE(envelope["stream"].toString(), QString("!serverShutdown"));
        expectEvent(envelope["data"].toObject());
        // Until the grace ends the stream goes on, then the server closes: 1001 going away.
        bool depthAfter = false;
        Frame frame;
        for (int i = 0; i < 100; ++i) {
            frame = raw.read(2s);
            if (!frame.ok()) break;
            depthAfter = depthAfter || frame.json()["e"] == "depthUpdate";
        }
        QVERIFY(depthAfter);
        QVERIFY2(frame.error == websocket::error::closed, frame.error.message().c_str());
        QCOMPARE(static_cast<int>(raw.closeReason().code), 1001);  // going away
        for (int i = 0; i < 100; ++i) {
            frame = combined.read(2s);
            if (!frame.ok()) break;
        }
        QVERIFY2(frame.error == websocket::error::closed, frame.error.message().c_str());
        // Kraken's socket is not Binance's; a new Binance connection is served as usual.
        QVERIFY(kraken.write(R"({"method":"ping","req_id":7})"));
        QCOMPARE(
            readUntil(kraken, [](const QJsonObject& o) { return o["method"] == "pong"; })["req_id"]
                .toInt(),
            7);
        WsClient again(ca());
        QVERIFY(!again.connect(exchange->port(), depthTarget()));
        QCOMPARE(readDepthEvents(again, 1).size(), 1);
        QVERIFY(exchange->command("server-shutdown x").startsWith("error usage"));
    }

    void serverShutdownIsSpotOnly() {
        // Binance documents serverShutdown for its spot streams, not for USD-M's.
        auto exchange = start({"--binance-market", "usdm"});
        QVERIFY(exchange->command("server-shutdown").startsWith("error"));
    }
};

QTEST_GUILESS_MAIN(TestExchange)
#include "tst_exchange.moc"
