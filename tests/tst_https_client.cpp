// HttpsClient against a real Beast TLS server on 127.0.0.1: status and body passed through,
// method, headers and body sent, every failure with its reason, one request at a time, and
// cancelling or destroying at awkward moments.
#include <QtTest>

#include <chrono>
#include <memory>
#include <optional>
#include <string>

#include "loopback_tls_server.h"
#include "net/event_loop.h"
#include "net/https_client.h"
#include "test_tls.h"

using namespace flowscope;
using namespace flowscope::net;
using flowscope::testing::HttpRoute;
using flowscope::testing::LoopbackTlsServer;
using flowscope::testing::runLoopFor;
using flowscope::testing::runLoopUntil;

namespace {

constexpr TimeNs kMs = 1'000'000;

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

/// Collects the responses a client delivers, in order.
struct Responses {
    std::vector<HttpResponse> received;
    HttpsClient::Callback callback() {
        return [this](HttpResponse response) { received.push_back(std::move(response)); };
    }
};

}  // namespace

class TestHttpsClient : public QObject {
    Q_OBJECT

    std::unique_ptr<flowscope::testing::TestTls> tls_;

    LoopbackTlsServer::Options serverOptions() const {
        LoopbackTlsServer::Options options;
        options.certFile = tls_->serverCert;
        options.keyFile = tls_->serverKey;
        return options;
    }
    TlsConfig trustTestCa() const { return TlsConfig{tls_->caCert}; }

    /// Runs `loop` until one response arrived and returns it.
    static HttpResponse awaitOne(EventLoop& loop, Responses& responses) {
        if (!runLoopUntil(loop, [&] { return !responses.received.empty(); })) {
            qFatal("no response within the test's patience");
        }
        return responses.received.front();
    }

  private slots:
    void initTestCase() { tls_ = std::make_unique<flowscope::testing::TestTls>(); }
    void cleanupTestCase() { tls_.reset(); }

    void getReturnsStatusBodyAndReceiveTime() {
        LoopbackTlsServer server(serverOptions());
        const std::string body =
            R"({"lastUpdateId":1027024,"bids":[["4.00000000","431.00000000"]]})";
        server.setRoute("/api/v3/depth?symbol=BTCUSDT&limit=5", {200, body, 0});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses responses;
        const TimeNs before = wallClockNs();
        client.get(parsed(server.httpsUrl("/api/v3/depth?symbol=BTCUSDT&limit=5")),
                   responses.callback());
        QVERIFY(responses.received.empty());  // never from inside get()
        const HttpResponse response = awaitOne(loop, responses);
        const TimeNs after = wallClockNs();
        QCOMPARE(QString::fromStdString(response.error), QString());
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, body);
        QVERIFY(response.receiveNs >= before && response.receiveNs <= after);
        // Header fields come through, looked up without regard to case.
        const std::string* length = response.header("content-length");
        QVERIFY(length != nullptr);
        QCOMPARE(*length, std::to_string(body.size()));
        QVERIFY(response.header("X-Not-Sent") == nullptr);

        const auto seen = server.lastHttpRequest();
        QVERIFY(seen.has_value());
        QCOMPARE(seen->method, std::string("GET"));
        QCOMPARE(seen->target, std::string("/api/v3/depth?symbol=BTCUSDT&limit=5"));
        QCOMPARE(seen->header("Host"), "localhost:" + std::to_string(server.port()));
        QCOMPARE(seen->header("User-Agent"), std::string("flowscope"));
        QVERIFY(seen->body.empty());
    }

    void errorStatusIsPassedThroughWithItsBody_data() {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("body");
        QTest::newRow("not found") << 404 << R"({"code":-1121,"msg":"Invalid symbol."})";
        QTest::newRow("rate limited") << 429 << R"({"code":-1003,"msg":"Too many requests."})";
        QTest::newRow("server error") << 503 << "";
    }
    void errorStatusIsPassedThroughWithItsBody() {
        QFETCH(int, status);
        QFETCH(QString, body);
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/depth", {status, body.toStdString(), 0});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses responses;
        client.get(parsed(server.httpsUrl("/depth")), responses.callback());
        const HttpResponse response = awaitOne(loop, responses);
        QCOMPARE(response.status, status);
        QCOMPARE(QString::fromStdString(response.body), body);
        QCOMPARE(QString::fromStdString(response.error), QString());
    }

    void requestSendsMethodHeadersAndBody() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/api/v3/order", {200, R"({"orderId":28})", 0});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses responses;
        HttpRequest request;
        request.method = "POST";
        request.url = parsed(server.httpsUrl("/api/v3/order"));
        request.headers = {{"X-MBX-APIKEY", "key123"}, {"X-Extra", "two words"}};
        request.body = "symbol=BTCUSDT&side=BUY&type=LIMIT&signature=abc";
        client.request(request, responses.callback());
        const HttpResponse response = awaitOne(loop, responses);
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body, std::string(R"({"orderId":28})"));

        const auto seen = server.lastHttpRequest();
        QVERIFY(seen.has_value());
        QCOMPARE(seen->method, std::string("POST"));
        QCOMPARE(seen->header("x-mbx-apikey"), std::string("key123"));
        QCOMPARE(seen->header("X-Extra"), std::string("two words"));
        QCOMPARE(seen->header("Content-Type"), std::string("application/x-www-form-urlencoded"));
        QCOMPARE(seen->header("Content-Length"), std::to_string(request.body.size()));
        QCOMPARE(seen->body, request.body);
    }

    void largeBodyArrivesIntact() {
        std::string body(8 << 20, '\0');
        for (std::size_t i = 0; i < body.size(); ++i)
            body[i] = static_cast<char>('a' + i % 26);
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/big", {200, body, 0});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses responses;
        client.get(parsed(server.httpsUrl("/big")), responses.callback());
        const HttpResponse response = awaitOne(loop, responses);
        QCOMPARE(response.status, 200);
        QCOMPARE(response.body.size(), body.size());
        QVERIFY(response.body == body);
    }

    void bodyOverTheLimitIsAnError() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/at-limit", {200, std::string(1000, 'x'), 0});
        server.setRoute("/over-limit", {200, std::string(1001, 'x'), 0});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        client.setMaxBodyBytes(1000);
        Responses responses;
        client.get(parsed(server.httpsUrl("/at-limit")), responses.callback());
        QCOMPARE(awaitOne(loop, responses).body.size(), std::size_t{1000});
        responses.received.clear();
        client.get(parsed(server.httpsUrl("/over-limit")), responses.callback());
        const HttpResponse response = awaitOne(loop, responses);
        QCOMPARE(response.status, 0);
        QVERIFY(response.body.empty());
        QCOMPARE(response.error, server.httpsUrl("/over-limit") +
                                     ": response body larger than the 1000-byte limit");
    }

    void slowServerTimesOut() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/slow", {200, "late", 2000});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses responses;
        const auto start = std::chrono::steady_clock::now();
        client.get(parsed(server.httpsUrl("/slow")), responses.callback(), 150 * kMs);
        const HttpResponse response = awaitOne(loop, responses);
        const auto elapsed = std::chrono::steady_clock::now() - start;
        QCOMPARE(response.status, 0);
        QCOMPARE(response.error,
                 server.httpsUrl("/slow") + ": timed out after 150 ms waiting for the response");
        QVERIFY(elapsed >= std::chrono::milliseconds(140));
        QVERIFY(elapsed < std::chrono::milliseconds(1000));
        runLoopFor(loop, 30 * kMs);
        QCOMPARE(responses.received.size(), std::size_t{1});  // exactly once
    }

    void hungTlsHandshakeTimesOut() {
        auto options = serverOptions();
        options.speakTls = false;
        LoopbackTlsServer server(options);
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses responses;
        client.get(parsed(server.httpsUrl("/x")), responses.callback(), 100 * kMs);
        QCOMPARE(awaitOne(loop, responses).error,
                 server.httpsUrl("/x") + ": timed out after 100 ms in the TLS handshake");
    }

    void refusedConnectionNamesTheEndpoint() {
        const std::uint16_t port = flowscope::testing::unusedLoopbackPort();
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses responses;
        client.get(parsed("https://127.0.0.1:" + std::to_string(port) + "/x"),
                   responses.callback());
        const HttpResponse response = awaitOne(loop, responses);
        QCOMPARE(response.status, 0);
        QCOMPARE(response.error,
                 "connect to 127.0.0.1:" + std::to_string(port) + ": Connection refused");
    }

    void untrustedCertificateAuthorityIsRefused() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/x", {200, "secret", 0});
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{tls_->otherCaCert});
        Responses responses;
        client.get(parsed(server.httpsUrl("/x")), responses.callback());
        const HttpResponse response = awaitOne(loop, responses);
        QCOMPARE(response.status, 0);
        QVERIFY(response.body.empty());
        QCOMPARE(response.error, std::string("TLS handshake with localhost: certificate verify "
                                             "failed (unable to get local issuer certificate)"));
        QVERIFY(!server.lastHttpRequest().has_value());
    }

    void systemStoreDoesNotTrustTheTestCa() {
        LoopbackTlsServer server(serverOptions());
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{});  // no --ca-file: the system's trusted roots
        Responses responses;
        client.get(parsed(server.httpsUrl("/x")), responses.callback());
        QCOMPARE(awaitOne(loop, responses).error,
                 std::string("TLS handshake with localhost: certificate verify failed (unable to "
                             "get local issuer certificate)"));
    }

    void unsupportedMethodIsReportedFromTheLoop() {
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses responses;
        HttpRequest request;
        request.method = "FETCH";
        request.url = parsed("https://localhost/x");
        client.request(request, responses.callback());
        QVERIFY(responses.received.empty());
        QCOMPARE(awaitOne(loop, responses).error, std::string("unsupported HTTP method 'FETCH'"));
    }

    void cancelSuppressesTheCallback() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/slow", {200, "late", 100});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses responses;
        client.get(parsed(server.httpsUrl("/slow")), responses.callback());
        QVERIFY(runLoopUntil(loop, [&] { return server.lastHttpRequest().has_value(); }));
        client.cancel();
        runLoopFor(loop, 200 * kMs);
        QVERIFY(responses.received.empty());
    }

    void newRequestReplacesThePreviousOne() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/slow", {200, "slow", 100});
        server.setRoute("/fast", {200, "fast", 0});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        Responses slow;
        Responses fast;
        client.get(parsed(server.httpsUrl("/slow")), slow.callback());
        client.get(parsed(server.httpsUrl("/fast")), fast.callback());
        QCOMPARE(awaitOne(loop, fast).body, std::string("fast"));
        runLoopFor(loop, 200 * kMs);
        QVERIFY(slow.received.empty());
        QCOMPARE(fast.received.size(), std::size_t{1});
    }

    void callbackMayStartTheNextRequest() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/1", {200, "one", 0});
        server.setRoute("/2", {200, "two", 0});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        std::vector<std::string> bodies;
        client.get(parsed(server.httpsUrl("/1")), [&](HttpResponse first) {
            bodies.push_back(first.body);
            client.get(parsed(server.httpsUrl("/2")),
                       [&](HttpResponse second) { bodies.push_back(second.body); });
        });
        QVERIFY(runLoopUntil(loop, [&] { return bodies.size() == 2; }));
        QCOMPARE(bodies, (std::vector<std::string>{"one", "two"}));
    }

    void destroyingTheClientAtAnyStepIsSafe() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/slow", {200, "slow", 50});
        server.setRoute("/fast", {200, "fast", 0});
        EventLoop loop;
        Responses responses;
        {
            HttpsClient client(loop, trustTestCa());
            client.get(parsed(server.httpsUrl("/slow")), responses.callback());
        }  // before the resolver answered
        {
            HttpsClient client(loop, trustTestCa());
            client.get(parsed(server.httpsUrl("/slow")), responses.callback());
            QVERIFY(runLoopUntil(loop, [&] { return server.lastHttpRequest().has_value(); }));
        }  // waiting for the response
        auto client = std::make_unique<HttpsClient>(loop, trustTestCa());
        client->get(parsed(server.httpsUrl("/fast")), [&](HttpResponse response) {
            responses.received.push_back(std::move(response));
            client.reset();  // from inside its own callback
        });
        QVERIFY(runLoopUntil(loop, [&] { return !client; }));
        runLoopFor(loop, 100 * kMs);
        QCOMPARE(responses.received.size(), std::size_t{1});
        QCOMPARE(responses.received.front().body, std::string("fast"));
    }

    void loopDestroyedWithARequestInFlight() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/slow", {200, "slow", 500});
        Responses responses;
        {
            EventLoop loop;
            HttpsClient client(loop, trustTestCa());
            client.get(parsed(server.httpsUrl("/slow")), responses.callback());
            QVERIFY(runLoopUntil(loop, [&] { return server.lastHttpRequest().has_value(); }));
            // The client goes first (as members are destroyed in a feed), then the loop with the
            // operation's pending handlers.
        }
        QVERIFY(responses.received.empty());
    }
};

QTEST_GUILESS_MAIN(TestHttpsClient)
#include "tst_https_client.moc"
