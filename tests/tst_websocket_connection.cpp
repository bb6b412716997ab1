// WebSocketConnection against a real Beast TLS server on 127.0.0.1: messages both ways and in
// order, size limits, every way a connection ends (and the reason the user reads), certificate
// and host name checks, and closing or destroying the connection at awkward moments. The
// EventLoop and Timer it runs on are tested in tst_event_loop.cpp.
#include <QtTest>

#include <chrono>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "loopback_tls_server.h"
#include "net/event_loop.h"
#include "net/websocket_connection.h"
#include "test_tls.h"

using namespace flowscope;
using namespace flowscope::net;
using flowscope::testing::LoopbackTlsServer;
using flowscope::testing::runLoopFor;
using flowscope::testing::runLoopUntil;

namespace {

constexpr TimeNs kMs = 1'000'000;

/// Records what a connection reports; `onMessageHook` lets a test act from inside the callback.
struct Recorder {
    int opens = 0;
    std::vector<std::string> messages;
    std::vector<TimeNs> receiveTimes;
    std::vector<std::string> closes;
    std::function<void(std::string_view)> onMessageHook;
    std::function<void()> onCloseHook;

    WebSocketConnection::Handlers handlers() {
        WebSocketConnection::Handlers h;
        h.onOpen = [this] { ++opens; };
        h.onMessage = [this](std::string_view message, TimeNs receiveNs) {
            messages.emplace_back(message);
            receiveTimes.push_back(receiveNs);
            if (onMessageHook) onMessageHook(message);
        };
        h.onClose = [this](std::string_view reason) {
            closes.emplace_back(reason);
            if (onCloseHook) onCloseHook();
        };
        return h;
    }
};

TimeNs wallClockNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

Url parsed(const std::string& text) {
    std::string error;
    auto url = Url::parse(text, &error);
    if (!url) qFatal("bad test url %s: %s", text.c_str(), error.c_str());
    return *url;
}

/// A certificate signed by the test CA, valid for `dnsName` only (not localhost or 127.0.0.1).
std::string certificateFor(const flowscope::testing::TestTls& tls, const std::string& dnsName) {
    {
        std::ofstream ext(tls.dir + "/other-host.ext");
        ext << "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n"
               "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:"
            << dnsName << "\n";
    }
    const std::string command =
        "cd '" + tls.dir + "' && openssl req -new -key server.key -subj '/CN=" + dnsName +
        "' -out other-host.csr && openssl x509 -req -in other-host.csr -CA ca.pem -CAkey ca.key "
        "-CAcreateserial -days 2 -sha256 -extfile other-host.ext -out other-host.pem "
        ">/dev/null 2>&1";
    if (std::system(command.c_str()) != 0) qFatal("openssl could not make a certificate");
    return tls.dir + "/other-host.pem";
}

/// QCOMPARE prints QStrings; a vector of reasons becomes one line per reason.
QString lines(const std::vector<std::string>& texts) {
    QStringList list;
    for (const auto& text : texts)
        list << QString::fromStdString(text);
    return list.join('\n');
}

std::string patterned(std::size_t bytes) {
    std::string text(bytes, '\0');
    for (std::size_t i = 0; i < bytes; ++i)
        text[i] = static_cast<char>('!' + (i * 131) % 90);
    return text;
}

}  // namespace

class TestWebSocketConnection : public QObject {
    Q_OBJECT

    std::unique_ptr<flowscope::testing::TestTls> tls_;

    LoopbackTlsServer::Options serverOptions() const {
        LoopbackTlsServer::Options options;
        options.certFile = tls_->serverCert;
        options.keyFile = tls_->serverKey;
        return options;
    }
    TlsConfig trustTestCa() const { return TlsConfig{tls_->caCert}; }

    /// Opens `connection` to `server` and waits for onOpen, and for the server to count the
    /// session: the client is open on the 101 response, a moment before the server's accept
    /// completes, and a closeAll() or pingAll() in that moment would find no session.
    static bool openTo(WebSocketConnection& connection, const LoopbackTlsServer& server,
                       EventLoop& loop, const Recorder& recorder) {
        const int before = recorder.opens;
        const int upgrades = server.upgradesAccepted();
        connection.open(parsed(server.webSocketUrl()));
        return runLoopUntil(loop,
                            [&] { return recorder.opens > before || !recorder.closes.empty(); }) &&
               recorder.opens > before &&
               runLoopUntil(loop, [&] { return server.upgradesAccepted() > upgrades; });
    }

  private slots:
    void initTestCase() { tls_ = std::make_unique<flowscope::testing::TestTls>(); }
    void cleanupTestCase() { tls_.reset(); }

    void opensAndEchoesWithWallClockReceiveTime() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(!ws.isOpen());
        QVERIFY(openTo(ws, server, loop, rec));
        QVERIFY(ws.isOpen());
        QCOMPARE(server.lastUpgradeHostHeader(), "localhost:" + std::to_string(server.port()));

        const TimeNs before = wallClockNs();
        ws.send("{\"ping\":1}");
        QVERIFY(runLoopUntil(loop, [&] { return rec.messages.size() == 1; }));
        const TimeNs after = wallClockNs();
        QCOMPARE(rec.messages.front(), std::string("{\"ping\":1}"));
        QVERIFY(rec.receiveTimes.front() >= before && rec.receiveTimes.front() <= after);
        QCOMPARE(server.receivedMessages(), std::vector<std::string>{"{\"ping\":1}"});
        QVERIFY(rec.closes.empty());
    }

    void ipLiteralIsCheckedAgainstTheCertificatesAddress() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        ws.open(parsed("wss://127.0.0.1:" + std::to_string(server.port()) + "/ws"));
        QVERIFY(runLoopUntil(loop, [&] { return rec.opens == 1 || !rec.closes.empty(); }));
        QCOMPARE(lines(rec.closes), QString());
        QCOMPARE(rec.opens, 1);
    }

    void serverPushesArriveInOrder() {
        auto options = serverOptions();
        for (int i = 0; i < 2000; ++i)
            options.pushOnOpen.push_back("update " + std::to_string(i));
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, server, loop, rec));
        QVERIFY(runLoopUntil(loop, [&] { return rec.messages.size() >= 2000; }));
        QCOMPARE(rec.messages, options.pushOnOpen);
        QVERIFY(std::is_sorted(rec.receiveTimes.begin(), rec.receiveTimes.end()));
    }

    void clientFramesReachTheServerInOrder() {
        auto options = serverOptions();
        options.echo = false;
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, server, loop, rec));
        std::vector<std::string> sent;
        for (int i = 0; i < 1000; ++i) {
            sent.push_back("order " + std::to_string(i) +
                           std::string(std::size_t(i % 7) * 100, 'x'));
            ws.send(sent.back());  // queued while the previous frames are still being written
        }
        QVERIFY(
            runLoopUntil(loop, [&] { return server.receivedMessages().size() >= sent.size(); }));
        QCOMPARE(server.receivedMessages(), sent);
    }

    void closeWithWritesInFlightSendsWhatWasStartedThenTheCloseFrame() {
        auto options = serverOptions();
        options.echo = false;
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, server, loop, rec));
        std::vector<std::string> sent;
        for (int i = 0; i < 50; ++i) {
            sent.push_back(std::to_string(i) + patterned(256 << 10));
            ws.send(sent.back());
        }
        ws.close();
        QVERIFY(runLoopUntil(loop, [&] { return !server.closeCodesReceived().empty(); }));
        QCOMPARE(server.closeCodesReceived(), std::vector<int>{1000});
        const auto received = server.receivedMessages();
        QVERIFY(received.size() < sent.size());  // the queue behind the frame in flight is dropped
        for (std::size_t i = 0; i < received.size(); ++i)
            QVERIFY(received[i] == sent[i]);
        QVERIFY(rec.closes.empty());
    }

    void sendBeforeOpenIsIgnored() {
        auto options = serverOptions();
        options.echo = false;
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        ws.send("lost: not connected");
        ws.open(parsed(server.webSocketUrl()));
        ws.send("lost: still connecting");
        QVERIFY(runLoopUntil(loop, [&] { return rec.opens == 1; }));
        ws.send("delivered");
        QVERIFY(runLoopUntil(loop, [&] { return !server.receivedMessages().empty(); }));
        QCOMPARE(server.receivedMessages(), std::vector<std::string>{"delivered"});
    }

    void largeMessageArrivesIntact() {
        auto options = serverOptions();
        options.pushOnOpen = {patterned(8 << 20), "after"};
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, server, loop, rec));
        QVERIFY(runLoopUntil(loop, [&] { return rec.messages.size() >= 2; }));
        QCOMPARE(rec.messages[0].size(), std::size_t{8 << 20});
        QVERIFY(rec.messages[0] == options.pushOnOpen[0]);
        QCOMPARE(rec.messages[1], std::string("after"));
    }

    void messageOverTheLimitFailsTheConnection() {
        constexpr std::size_t kLimit = 1 << 20;
        auto options = serverOptions();
        options.pushOnOpen = {patterned(kLimit), patterned(kLimit + 1), "never"};
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        ws.setMaxMessageBytes(kLimit);
        QVERIFY(openTo(ws, server, loop, rec));
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        QCOMPARE(rec.messages.size(), std::size_t{1});  // exactly at the limit is fine
        QCOMPARE(rec.messages[0].size(), kLimit);
        QCOMPARE(lines(rec.closes), lines({"message too big (over the 1048576-byte limit)"}));
        QVERIFY(!ws.isOpen());
        runLoopFor(loop, 50 * kMs);
        QCOMPARE(rec.closes.size(), std::size_t{1});
        QCOMPARE(rec.messages.size(), std::size_t{1});
    }

    void serverCloseReportsItsCode_data() {
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<QString>("expected");
        QTest::newRow("normal") << 1000 << ""
                                << "closed by server (code 1000)";
        QTest::newRow("going away with reason") << 1001 << "maintenance"
                                                << "closed by server (code 1001: maintenance)";
        QTest::newRow("policy") << 1008 << "rate limit"
                                << "closed by server (code 1008: rate limit)";
    }
    void serverCloseReportsItsCode() {
        QFETCH(int, code);
        QFETCH(QString, reason);
        QFETCH(QString, expected);
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, server, loop, rec));
        server.closeAll(static_cast<std::uint16_t>(code), reason.toStdString());
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        QCOMPARE(QString::fromStdString(rec.closes.front()), expected);
        QVERIFY(!ws.isOpen());
        runLoopFor(loop, 30 * kMs);
        QCOMPARE(rec.closes.size(), std::size_t{1});
    }

    void droppedSocketReportsConnectionLost() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, server, loop, rec));
        server.dropAll();
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        QVERIFY2(rec.closes.front().starts_with("connection lost: "), rec.closes.front().c_str());
        QVERIFY(!ws.isOpen());
        runLoopFor(loop, 30 * kMs);
        QCOMPARE(rec.closes.size(), std::size_t{1});
    }

    void serverGoneReportsConnectionLost() {
        auto server = std::make_unique<LoopbackTlsServer>(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, *server, loop, rec));
        server.reset();  // its thread stops, its sockets close without a word
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        QVERIFY2(rec.closes.front().starts_with("connection lost: "), rec.closes.front().c_str());
    }

    void refusedConnectionNamesTheEndpoint() {
        const std::uint16_t port = flowscope::testing::unusedLoopbackPort();
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        ws.open(parsed("wss://127.0.0.1:" + std::to_string(port) + "/ws"));
        QVERIFY(rec.closes.empty());  // never from inside open()
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        QCOMPARE(lines(rec.closes),
                 lines({"connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused"}));
        QCOMPARE(rec.opens, 0);
    }

    void untrustedCertificateAuthorityIsRefused() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, TlsConfig{tls_->otherCaCert}, rec.handlers());
        ws.open(parsed(server.webSocketUrl()));
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        QCOMPARE(lines(rec.closes),
                 lines({"TLS handshake with localhost: certificate verify failed (unable "
                        "to get local issuer certificate)"}));
        QCOMPARE(rec.opens, 0);
        QCOMPARE(server.upgradesAccepted(), 0);
    }

    void certificateForAnotherHostIsRefused() {
        auto options = serverOptions();
        options.certFile = certificateFor(*tls_, "exchange.example");
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        ws.open(parsed(server.webSocketUrl()));
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        QCOMPARE(
            rec.closes,
            std::vector<std::string>{
                "TLS handshake with localhost: certificate verify failed (hostname mismatch)"});

        ws.open(parsed("wss://127.0.0.1:" + std::to_string(server.port()) + "/ws"));
        QVERIFY(runLoopUntil(loop, [&] { return rec.closes.size() == 2; }));
        QCOMPARE(rec.closes[1], std::string("TLS handshake with 127.0.0.1: certificate verify "
                                            "failed (IP address mismatch)"));
        QCOMPARE(server.upgradesAccepted(), 0);
    }

    void missingCaFileIsReportedFromTheLoop() {
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, TlsConfig{"/nonexistent/ca.pem"}, rec.handlers());
        ws.open(parsed("wss://localhost:1/ws"));
        QVERIFY(rec.closes.empty());
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        QCOMPARE(lines(rec.closes),
                 lines({"TLS setup: CA file '/nonexistent/ca.pem' does not exist or is "
                        "not a file"}));
    }

    void upgradeRefusedReportsTheHttpStatus() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        ws.open(parsed("wss://localhost:" + std::to_string(server.port()) + "/wrong/path"));
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        QCOMPARE(lines(rec.closes),
                 lines({"WebSocket upgrade of /wrong/path refused: HTTP 404 Not Found"}));
    }

    void closeInsideOnMessageStopsDelivery() {
        auto options = serverOptions();
        for (int i = 0; i < 200; ++i)
            options.pushOnOpen.push_back("m" + std::to_string(i));
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        rec.onMessageHook = [&](std::string_view) { ws.close(); };
        QVERIFY(openTo(ws, server, loop, rec));
        QVERIFY(runLoopUntil(loop, [&] { return !server.closeCodesReceived().empty(); }));
        QCOMPARE(server.closeCodesReceived(), std::vector<int>{1000});  // a proper close frame
        runLoopFor(loop, 30 * kMs);
        QCOMPARE(rec.messages, std::vector<std::string>{"m0"});
        QVERIFY(rec.closes.empty());
        QVERIFY(!ws.isOpen());
    }

    void destroyingInsideOnMessageIsSafe() {
        auto options = serverOptions();
        options.pushOnOpen = {"first", "second", "third"};
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        auto ws = std::make_unique<WebSocketConnection>(loop, trustTestCa(), rec.handlers());
        rec.onMessageHook = [&](std::string_view) { ws.reset(); };
        ws->open(parsed(server.webSocketUrl()));
        QVERIFY(runLoopUntil(loop, [&] { return !ws; }));
        runLoopFor(loop, 50 * kMs);
        QCOMPARE(rec.messages, std::vector<std::string>{"first"});
        QVERIFY(rec.closes.empty());
    }

    void destroyingWhileConnectingIsSafe() {
        auto options = serverOptions();
        options.speakTls = false;  // TCP accepted, TLS handshake never answered
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        {
            // Gone before the resolver even answered.
            WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
            ws.open(parsed(server.webSocketUrl()));
        }
        {
            // Gone in the middle of the TLS handshake.
            WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
            ws.open(parsed(server.webSocketUrl()));
            QVERIFY(runLoopUntil(loop, [&] { return server.tcpConnectionsAccepted() >= 1; }));
            runLoopFor(loop, 10 * kMs);
        }
        runLoopFor(loop, 50 * kMs);
        QCOMPARE(rec.opens, 0);
        QVERIFY(rec.closes.empty());
    }

    void closeWhileConnectingThenOpenElsewhere() {
        auto mute = serverOptions();
        mute.speakTls = false;
        LoopbackTlsServer hung(mute);
        LoopbackTlsServer good(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        ws.open(parsed(hung.webSocketUrl()));
        QVERIFY(runLoopUntil(loop, [&] { return hung.tcpConnectionsAccepted() >= 1; }));
        ws.close();
        QVERIFY(!ws.isOpen());
        QVERIFY(openTo(ws, good, loop, rec));
        ws.send("hello");
        QVERIFY(runLoopUntil(loop, [&] { return rec.messages.size() == 1; }));
        QVERIFY(rec.closes.empty());
    }

    void loopDestroyedWhileConnectionsAreClosing() {
        LoopbackTlsServer server(serverOptions());
        Recorder rec;
        {
            EventLoop loop;
            WebSocketConnection open(loop, trustTestCa(), rec.handlers());
            QVERIFY(openTo(open, server, loop, rec));
            WebSocketConnection connecting(loop, trustTestCa(), rec.handlers());
            connecting.open(parsed(server.webSocketUrl()));
            open.close();  // its closing handshake is still pending when the loop goes
        }
        QCOMPARE(rec.opens, 1);
        QVERIFY(rec.closes.empty());
    }

    void reopenAfterCloseWorks() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, server, loop, rec));
        ws.send("one");
        QVERIFY(runLoopUntil(loop, [&] { return rec.messages.size() == 1; }));
        ws.close();
        QVERIFY(!ws.isOpen());
        QVERIFY(openTo(ws, server, loop, rec));
        ws.send("two");
        QVERIFY(runLoopUntil(loop, [&] { return rec.messages.size() == 2; }));
        QCOMPARE(rec.messages, (std::vector<std::string>{"one", "two"}));
        QCOMPARE(rec.opens, 2);
        QVERIFY(rec.closes.empty());
        QCOMPARE(server.upgradesAccepted(), 2);
        QVERIFY(runLoopUntil(loop, [&] { return server.closeCodesReceived().size() == 1; }));
    }

    void openWhileOpenReplacesTheConnectionSilently() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, server, loop, rec));
        QVERIFY(openTo(ws, server, loop, rec));
        QCOMPARE(rec.opens, 2);
        ws.send("on the new one");
        QVERIFY(runLoopUntil(loop, [&] { return rec.messages.size() == 1; }));
        QVERIFY(rec.closes.empty());
        QVERIFY(runLoopUntil(loop, [&] { return server.openSessions() == 1; }));
    }

    void reopenFromOnClose() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        rec.onCloseHook = [&] {
            QVERIFY(!ws.isOpen());
            if (rec.closes.size() == 1) ws.open(parsed(server.webSocketUrl()));
        };
        QVERIFY(openTo(ws, server, loop, rec));
        server.closeAll(1012, "restart");
        QVERIFY(runLoopUntil(loop, [&] { return rec.opens == 2; }));
        QCOMPARE(lines(rec.closes), lines({"closed by server (code 1012: restart)"}));
        QVERIFY(ws.isOpen());
    }

    void serverPingsAreAnswered() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        QVERIFY(openTo(ws, server, loop, rec));
        server.pingAll();
        server.pingAll();
        QVERIFY(runLoopUntil(loop, [&] { return server.pongsReceived() == 2; }));
        QVERIFY(rec.messages.empty());  // control frames are not messages
        QVERIFY(ws.isOpen());
    }

    void quietConnectionIsKeptAliveWithPings() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        ws.setIdleTimeout(200 * kMs);
        QVERIFY(openTo(ws, server, loop, rec));
        runLoopFor(loop, 550 * kMs);  // nothing but pings for almost three idle periods
        QVERIFY(ws.isOpen());
        QVERIFY(rec.closes.empty());
        QVERIFY2(server.pingsReceived() >= 2, std::to_string(server.pingsReceived()).c_str());
    }

    void silentServerIsDetected() {
        auto options = serverOptions();
        options.readMessages = false;  // never reads, so our pings get no pong
        LoopbackTlsServer server(options);
        EventLoop loop;
        Recorder rec;
        WebSocketConnection ws(loop, trustTestCa(), rec.handlers());
        ws.setIdleTimeout(200 * kMs);
        QVERIFY(openTo(ws, server, loop, rec));
        const auto start = std::chrono::steady_clock::now();
        QVERIFY(runLoopUntil(loop, [&] { return !rec.closes.empty(); }));
        const auto elapsed = std::chrono::steady_clock::now() - start;
        QCOMPARE(lines(rec.closes),
                 lines({"server silent for 200 ms (keep-alive pings unanswered)"}));
        QVERIFY(elapsed >= std::chrono::milliseconds(150));
        QVERIFY(elapsed < std::chrono::milliseconds(1000));
    }
};

QTEST_GUILESS_MAIN(TestWebSocketConnection)
#include "tst_websocket_connection.moc"
