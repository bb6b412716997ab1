// HttpsClient against a real Beast TLS server on 127.0.0.1: status and body passed through,
// method, headers and body sent, every failure with its reason, one request at a time, and
// cancelling or destroying at awkward moments. Persistent connections against the loopback
// exchange (tests/exchange), whose own counters (connections accepted, TLS handshakes, REST
// requests read) say what happened on the wire: reuse, the server closing an idle connection,
// a connection dying under a GET (sent once more) or a POST (reported, never re-sent),
// `Connection: close`, and verification on every reconnect.
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "exchange_process.h"
#include "loopback_tls_server.h"
#include "net/event_loop.h"
#include "net/https_client.h"
#include "test_tls.h"

using namespace flowscope;
using namespace flowscope::net;
using flowscope::testing::ExchangeProcess;
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

/// The exchange's `stats` JSON.
QJsonObject exchangeStats(ExchangeProcess& exchange) {
    return QJsonDocument::fromJson(exchange.command("stats").mid(3)).object();
}

/// One of the exchange's connection counters (accepted, tlsHandshakes, restHangups, ...).
int connections(ExchangeProcess& exchange, const char* counter) {
    return exchangeStats(exchange)["connections"].toObject()[counter].toInt();
}

int restRequests(ExchangeProcess& exchange) {
    return exchangeStats(exchange)["restRequests"].toInt();
}

/// A certificate for `name` only, signed by the exchange's own CA (so the chain is trusted and
/// only the host name is wrong). Returns the chain path; the key is next to it.
std::string certificateFor(const std::string& caFile, const std::string& name) {
    const std::string dir = std::filesystem::path(caFile).parent_path().string();
    {
        std::ofstream ext(dir + "/" + name + ".ext");
        ext << "basicConstraints=CA:FALSE\nkeyUsage=digitalSignature\n"
               "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:"
            << name << "\n";
    }
    const std::string command =
        "cd '" + dir + "' && openssl ecparam -name prime256v1 -genkey -noout -out " + name +
        ".key && openssl req -new -key " + name + ".key -subj '/CN=" + name + "' -out " + name +
        ".csr && openssl x509 -req -in " + name + ".csr -CA ca.pem -CAkey ca.key -CAcreateserial " +
        "-days 2 -sha256 -extfile " + name + ".ext -out " + name + ".pem >>openssl.log 2>&1";
    if (std::system(command.c_str()) != 0) qFatal("openssl could not make a certificate");
    return dir + "/" + name + ".pem";
}

std::string keyOf(const std::string& chainPath) {
    return chainPath.substr(0, chainPath.size() - 4) + ".key";
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

    /// Keep-alive on, and one GET of `url` answered 200: the client holds a kept connection.
    static bool keepAliveAfterOneGet(EventLoop& loop, HttpsClient& client, const Url& url) {
        client.setKeepAlive(true);
        Responses first;
        client.get(url, first.callback());
        return awaitOne(loop, first).status == 200;
    }

    /// The exchange's next connections present `chain` (its key lies beside it).
    static bool presentCertificate(ExchangeProcess& exchange, const std::string& chain) {
        return exchange.command(QByteArray::fromStdString("tls-cert " + chain + " " + keyOf(chain)))
            .startsWith("ok");
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

    // ---- persistent connections ----

    void withoutKeepAliveEveryRequestSaysCloseAndHasItsOwnConnection() {
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/x", {200, "x", 0});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        for (int i = 0; i < 2; ++i) {
            Responses responses;
            client.get(parsed(server.httpsUrl("/x")), responses.callback());
            QCOMPARE(awaitOne(loop, responses).body, std::string("x"));
        }
        QCOMPARE(server.lastHttpRequest()->header("Connection"), std::string("close"));
        QCOMPARE(server.tcpConnectionsAccepted(), 2);
        QCOMPARE(client.stats().reusedRequests, std::uint64_t{0});
    }

    void keptConnectionCarriesTheNextRequests() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        client.setKeepAlive(true);
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        std::vector<HttpResponse> got;
        client.get(url, [&](HttpResponse first) {
            got.push_back(std::move(first));
            // From inside the callback: the connection is already back for the next request.
            client.get(url, [&](HttpResponse second) { got.push_back(std::move(second)); });
        });
        QVERIFY(runLoopUntil(loop, [&] { return got.size() == 2; }));
        runLoopFor(loop, 50 * kMs);  // idle a while, then a third
        Responses third;
        client.get(url, third.callback());
        got.push_back(awaitOne(loop, third));
        for (const HttpResponse& r : got) {
            QCOMPARE(QString::fromStdString(r.error), QString());
            QCOMPARE(r.status, 200);
            QVERIFY(r.body.find("serverTime") != std::string::npos);
        }
        QVERIFY(!got[0].reusedConnection);
        QVERIFY(got[1].reusedConnection);
        QVERIFY(got[2].reusedConnection);
        // The request left at once on the kept connection: issued, then written, then answered.
        QVERIFY(got[2].writeIssuedSteadyNs > 0);
        QVERIFY(got[2].writtenSteadyNs >= got[2].writeIssuedSteadyNs);
        QCOMPARE(connections(exchange, "accepted"), 1);
        QCOMPARE(connections(exchange, "tlsHandshakes"), 1);
        QCOMPARE(restRequests(exchange), 3);
        QCOMPARE(client.stats().connectionsOpened, std::uint64_t{1});
        QCOMPARE(client.stats().reusedRequests, std::uint64_t{2});
    }

    void connectionCloseFromTheServerIsHonoured() {
        // The loopback server answers `Connection: close` and closes: a client that kept the
        // connection anyway would write the second request (sent from inside the first
        // callback, before the close arrives) on it.
        LoopbackTlsServer server(serverOptions());
        server.setRoute("/1", {200, "one", 0});
        server.setRoute("/2", {200, "two", 0});
        EventLoop loop;
        HttpsClient client(loop, trustTestCa());
        client.setKeepAlive(true);
        std::vector<HttpResponse> got;
        client.get(parsed(server.httpsUrl("/1")), [&](HttpResponse first) {
            got.push_back(std::move(first));
            client.get(parsed(server.httpsUrl("/2")),
                       [&](HttpResponse second) { got.push_back(std::move(second)); });
        });
        QVERIFY(runLoopUntil(loop, [&] { return got.size() == 2; }));
        QCOMPARE(got[0].body, std::string("one"));
        QCOMPARE(got[1].body, std::string("two"));
        QVERIFY(!got[1].reusedConnection);
        QCOMPARE(server.tcpConnectionsAccepted(), 2);
        QCOMPARE(client.stats().reusedRequests, std::uint64_t{0});
        QCOMPARE(client.stats().retries, std::uint64_t{0});
        // With keep-alive on, the request itself does not ask for a close.
        QCOMPARE(server.lastHttpRequest()->header("Connection"), std::string());

        // The same from the exchange, on a connection it had kept until then.
        ExchangeProcess exchange;
        HttpsClient kept(loop, TlsConfig{exchange.caFile()});
        kept.setKeepAlive(true);
        const Url url = parsed(exchange.restUrl() + "/api/v3/ping");
        Responses one;
        kept.get(url, one.callback());
        awaitOne(loop, one);
        QCOMPARE(exchange.command("fault rest-close"), QByteArray("ok fault rest-close 1 armed"));
        std::vector<HttpResponse> more;
        kept.get(url, [&](HttpResponse closing) {
            QCOMPARE(*closing.header("Connection"), std::string("close"));
            more.push_back(std::move(closing));
            kept.get(url, [&](HttpResponse next) { more.push_back(std::move(next)); });
        });
        QVERIFY(runLoopUntil(loop, [&] { return more.size() == 2; }));
        QVERIFY(more[0].reusedConnection);
        QVERIFY(!more[1].reusedConnection);
        QCOMPARE(QString::fromStdString(more[1].error), QString());
        QCOMPARE(connections(exchange, "accepted"), 2);
        QCOMPARE(kept.stats().retries, std::uint64_t{0});
    }

    void serverClosingAnIdleConnectionIsNoticedBeforeTheNextRequest() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        QVERIFY(keepAliveAfterOneGet(loop, client, url));
        QCOMPARE(exchange.command("fault close-idle"),
                 QByteArray("ok fault close-idle: 1 connections closed"));
        // The read posted while idle sees the close.
        QVERIFY(runLoopUntil(loop, [&] { return client.stats().idleClosed == 1; }));
        Responses second;
        client.get(url, second.callback());
        const HttpResponse response = awaitOne(loop, second);
        QCOMPARE(QString::fromStdString(response.error), QString());
        QCOMPARE(response.status, 200);
        QVERIFY(!response.reusedConnection);
        QCOMPARE(client.stats().retries, std::uint64_t{0});  // nothing was written on the dead one
        QCOMPARE(connections(exchange, "accepted"), 2);
        QCOMPARE(restRequests(exchange), 2);
    }

    void getOnAConnectionThatDiesIsSentOnceMoreOnAFreshOne() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        QVERIFY(keepAliveAfterOneGet(loop, client, url));
        // The exchange reads the next request and resets the connection without an answer, as
        // a server that closed the idle connection just as the request arrived.
        QCOMPARE(exchange.command("fault rest-hangup"), QByteArray("ok fault rest-hangup 1 armed"));
        Responses second;
        client.get(url, second.callback());
        const HttpResponse response = awaitOne(loop, second);
        QCOMPARE(QString::fromStdString(response.error), QString());
        QCOMPARE(response.status, 200);
        QVERIFY(response.body.find("serverTime") != std::string::npos);
        QCOMPARE(client.stats().retries, std::uint64_t{1});
        QCOMPARE(connections(exchange, "restHangups"), 1);
        QCOMPARE(connections(exchange, "accepted"), 2);
        QCOMPARE(restRequests(exchange), 3);  // the first, the one hung up on, its repeat
    }

    void getIsSentOnlyOnceMore() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        QVERIFY(keepAliveAfterOneGet(loop, client, url));
        QCOMPARE(exchange.command("fault rest-hangup 2"),
                 QByteArray("ok fault rest-hangup 2 armed"));
        Responses second;
        client.get(url, second.callback());
        const HttpResponse response = awaitOne(loop, second);
        QCOMPARE(response.status, 0);
        QVERIFY(!response.error.empty());
        QCOMPARE(client.stats().retries, std::uint64_t{1});
        QCOMPARE(restRequests(exchange), 3);
    }

    void postOnAConnectionThatDiesIsReportedAndNotSentAgain() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        client.setKeepAlive(true);
        Responses first;
        client.get(parsed(exchange.restUrl() + "/api/v3/time"), first.callback());
        awaitOne(loop, first);
        QCOMPARE(exchange.command("fault rest-hangup"), QByteArray("ok fault rest-hangup 1 armed"));
        HttpRequest post;
        post.method = "POST";
        post.url = parsed(exchange.restUrl() + "/api/v3/order?symbol=BTCUSDT&side=BUY");
        Responses second;
        client.request(post, second.callback());
        const HttpResponse response = awaitOne(loop, second);
        QCOMPARE(response.status, 0);
        QVERIFY(response.reusedConnection);
        QVERIFY2(response.error.find("not sent again: it may have reached the server") !=
                     std::string::npos,
                 response.error.c_str());
        QVERIFY2(response.error.rfind("reading the response from 127.0.0.1: ", 0) == 0,
                 response.error.c_str());
        runLoopFor(loop, 100 * kMs);
        QCOMPARE(client.stats().retries, std::uint64_t{0});
        QCOMPARE(restRequests(exchange), 2);  // the POST arrived once, and only once
        QCOMPARE(connections(exchange, "accepted"), 1);

        // DELETE is not repeated either (a cancel's outcome is the caller's to settle).
        Responses third;
        client.get(parsed(exchange.restUrl() + "/api/v3/time"), third.callback());
        awaitOne(loop, third);
        QCOMPARE(exchange.command("fault rest-hangup"), QByteArray("ok fault rest-hangup 1 armed"));
        HttpRequest cancel;
        cancel.method = "DELETE";
        cancel.url = parsed(exchange.restUrl() + "/api/v3/order?symbol=BTCUSDT&orderId=1");
        Responses fourth;
        client.request(cancel, fourth.callback());
        QCOMPARE(awaitOne(loop, fourth).status, 0);
        QCOMPARE(client.stats().retries, std::uint64_t{0});
        QCOMPARE(restRequests(exchange), 4);
    }

    void reconnectStillRefusesAnUntrustedCertificate() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        QVERIFY(keepAliveAfterOneGet(loop, client, url));
        // New connections now meet a certificate from a CA the client does not trust.
        const std::string other = exchange.otherCaFile();
        QVERIFY(presentCertificate(exchange, other));
        // Reconnect after an idle close...
        QVERIFY(exchange.command("fault close-idle").startsWith("ok"));
        QVERIFY(runLoopUntil(loop, [&] { return client.stats().idleClosed == 1; }));
        Responses second;
        client.get(url, second.callback());
        const HttpResponse afterClose = awaitOne(loop, second);
        QCOMPARE(afterClose.status, 0);
        QVERIFY2(afterClose.error.rfind("TLS handshake with 127.0.0.1: certificate verify failed",
                                        0) == 0,
                 afterClose.error.c_str());
        QCOMPARE(restRequests(exchange), 1);
        QCOMPARE(client.stats().handshakes, std::uint64_t{1});
    }

    void retryOnAFreshConnectionStillRefusesAnUntrustedCertificate() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        QVERIFY(keepAliveAfterOneGet(loop, client, url));
        const std::string other = exchange.otherCaFile();
        QVERIFY(presentCertificate(exchange, other));
        QVERIFY(exchange.command("fault rest-hangup").startsWith("ok"));
        Responses second;
        client.get(url, second.callback());
        const HttpResponse response = awaitOne(loop, second);
        QCOMPARE(client.stats().retries, std::uint64_t{1});
        QCOMPARE(response.status, 0);
        QVERIFY2(
            response.error.rfind("TLS handshake with 127.0.0.1: certificate verify failed", 0) == 0,
            response.error.c_str());
        QCOMPARE(restRequests(exchange), 2);  // the repeat never reached HTTP
    }

    void reconnectStillChecksTheNameDialled() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        QVERIFY(keepAliveAfterOneGet(loop, client, url));
        // Signed by the trusted CA, but for another name.
        const std::string elsewhere = certificateFor(exchange.caFile(), "elsewhere.example");
        QVERIFY(presentCertificate(exchange, elsewhere));
        QVERIFY(exchange.command("fault close-idle").startsWith("ok"));
        QVERIFY(runLoopUntil(loop, [&] { return client.stats().idleClosed == 1; }));
        Responses second;
        client.get(url, second.callback());
        QCOMPARE(QString::fromStdString(awaitOne(loop, second).error),
                 QString("TLS handshake with 127.0.0.1: certificate verify failed (IP address "
                         "mismatch)"));
        QCOMPARE(restRequests(exchange), 1);
    }

    void idleConnectionIsClosedAfterTheIdleTimeout() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        client.setKeepAlive(true, 200 * kMs);
        const Url url = parsed(exchange.restUrl() + "/api/v3/ping");
        for (int i = 0; i < 2; ++i) {
            Responses responses;
            client.get(url, responses.callback());
            awaitOne(loop, responses);
            runLoopFor(loop, 100 * kMs);  // shorter than the idle timeout: kept
        }
        QCOMPARE(client.stats().connectionsOpened, std::uint64_t{1});
        QCOMPARE(client.stats().idleClosed, std::uint64_t{0});
        runLoopFor(loop, 300 * kMs);  // longer: closed by us
        QCOMPARE(client.stats().idleClosed, std::uint64_t{1});
        QCOMPARE(exchange.command("fault close-idle"),
                 QByteArray("ok fault close-idle: 0 connections closed"));
        Responses responses;
        client.get(url, responses.callback());
        const HttpResponse response = awaitOne(loop, responses);
        QCOMPARE(response.status, 200);
        QVERIFY(!response.reusedConnection);
        QCOMPARE(client.stats().connectionsOpened, std::uint64_t{2});
        QCOMPARE(client.stats().retries, std::uint64_t{0});
    }

    void warmUpOpensAheadAndTheFirstRequestUsesIt() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        client.setKeepAlive(true);
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        client.warmUp(url);
        client.warmUp(url);  // one is enough
        QVERIFY(runLoopUntil(loop, [&] { return client.stats().handshakes == 1; }));
        // The exchange counts its side of the handshake a moment after the client is done.
        QVERIFY(runLoopUntil(loop, [&] { return connections(exchange, "tlsHandshakes") >= 1; }));
        QCOMPARE(connections(exchange, "tlsHandshakes"), 1);
        Responses responses;
        client.get(url, responses.callback());
        const HttpResponse response = awaitOne(loop, responses);
        QCOMPARE(response.status, 200);
        QVERIFY(response.reusedConnection);
        QCOMPARE(connections(exchange, "accepted"), 1);

        // A request made while the warm-up is still in its handshake waits for that one.
        HttpsClient early(loop, TlsConfig{exchange.caFile()});
        early.setKeepAlive(true);
        early.warmUp(url);
        Responses earlyResponses;
        early.get(url, earlyResponses.callback());
        QCOMPARE(awaitOne(loop, earlyResponses).status, 200);
        QCOMPARE(early.stats().connectionsOpened, std::uint64_t{1});
        QCOMPARE(connections(exchange, "accepted"), 2);
    }

    void keepWarmReplacesAnIdleConnectionTheServerClosed() {
        ExchangeProcess exchange;
        EventLoop loop;
        HttpsClient client(loop, TlsConfig{exchange.caFile()});
        client.setKeepAlive(true);
        client.setKeepWarm(true);
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        Responses first;
        client.get(url, first.callback());
        awaitOne(loop, first);
        runLoopFor(loop, 1100 * kMs);  // old enough to be replaced
        QVERIFY(exchange.command("fault close-idle").startsWith("ok"));
        QVERIFY(runLoopUntil(loop, [&] { return client.stats().handshakes == 2; }));
        Responses second;
        client.get(url, second.callback());
        const HttpResponse response = awaitOne(loop, second);
        QCOMPARE(response.status, 200);
        QVERIFY(response.reusedConnection);
        QCOMPARE(connections(exchange, "accepted"), 2);

        // One that lived less than a second is not replaced (no dialling loop).
        QVERIFY(exchange.command("fault close-idle").startsWith("ok"));
        runLoopFor(loop, 200 * kMs);
        QCOMPARE(client.stats().connectionsOpened, std::uint64_t{2});
    }

    void cancelAfterTheWriteClosesTheKeptConnection() {
        ExchangeProcess exchange;
        EventLoop loop;
        auto client = std::make_unique<HttpsClient>(loop, TlsConfig{exchange.caFile()});
        client->setKeepAlive(true);
        const Url url = parsed(exchange.restUrl() + "/api/v3/time");
        Responses responses;
        client->get(url, responses.callback());
        awaitOne(loop, responses);
        client->get(url, responses.callback());  // written at once on the kept connection
        client->cancel();                        // its answer would be read by nobody
        Responses after;
        client->get(url, after.callback());
        const HttpResponse response = awaitOne(loop, after);
        QCOMPARE(response.status, 200);
        QVERIFY(!response.reusedConnection);
        runLoopFor(loop, 50 * kMs);
        QCOMPARE(responses.received.size(), std::size_t{1});
        QCOMPARE(client->stats().connectionsOpened, std::uint64_t{2});
        client.reset();  // with a connection idle: closed, nothing left behind
        runLoopFor(loop, 50 * kMs);
        QCOMPARE(exchange.command("fault close-idle"),
                 QByteArray("ok fault close-idle: 0 connections closed"));
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
