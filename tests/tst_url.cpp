// wss:// and https:// addresses: what is accepted, what is refused and why, joining REST paths.
#include <QtTest>

#include "net/url.h"

using flowscope::net::Url;

class TestUrl : public QObject {
    Q_OBJECT

  private slots:
    void parsesValidUrls_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("scheme");
        QTest::addColumn<QString>("host");
        QTest::addColumn<int>("port");
        QTest::addColumn<QString>("target");
        QTest::newRow("bare host") << "wss://stream.binance.com"
                                   << "wss"
                                   << "stream.binance.com" << 443 << "/";
        QTest::newRow("port and path") << "wss://stream.binance.com:9443/ws/btcusdt@depth"
                                       << "wss"
                                       << "stream.binance.com" << 9443 << "/ws/btcusdt@depth";
        QTest::newRow("query without path") << "https://api.kraken.com?pair=XBTUSD"
                                            << "https"
                                            << "api.kraken.com" << 443 << "/?pair=XBTUSD";
        QTest::newRow("path and query")
            << "https://api.binance.com/api/v3/depth?symbol=BTCUSDT&limit=1000"
            << "https"
            << "api.binance.com" << 443 << "/api/v3/depth?symbol=BTCUSDT&limit=1000";
        QTest::newRow("scheme and host case folded") << "WSS://WS.Kraken.COM/v2"
                                                     << "wss"
                                                     << "ws.kraken.com" << 443 << "/v2";
        QTest::newRow("surrounding spaces trimmed") << "  wss://localhost:8443/ws \n"
                                                    << "wss"
                                                    << "localhost" << 8443 << "/ws";
        QTest::newRow("fragment dropped") << "https://example.com/a?b=1#section"
                                          << "https"
                                          << "example.com" << 443 << "/a?b=1";
        QTest::newRow("IPv4 literal") << "wss://127.0.0.1:1"
                                      << "wss"
                                      << "127.0.0.1" << 1 << "/";
        QTest::newRow("IPv6 literal") << "wss://[::1]:8443/ws"
                                      << "wss"
                                      << "::1" << 8443 << "/ws";
        QTest::newRow("IPv6 literal default port") << "https://[2001:DB8::1]/x"
                                                   << "https"
                                                   << "2001:db8::1" << 443 << "/x";
        QTest::newRow("highest port") << "wss://h:65535"
                                      << "wss"
                                      << "h" << 65535 << "/";
    }
    void parsesValidUrls() {
        QFETCH(QString, text);
        std::string error;
        const auto url = Url::parse(text.toStdString(), &error);
        QVERIFY2(url.has_value(), error.c_str());
        QFETCH(QString, scheme);
        QFETCH(QString, host);
        QFETCH(int, port);
        QFETCH(QString, target);
        QCOMPARE(QString::fromStdString(url->scheme), scheme);
        QCOMPARE(QString::fromStdString(url->host), host);
        QCOMPARE(int{url->port}, port);
        QCOMPARE(QString::fromStdString(url->target), target);
    }

    void refusesBadUrls_data() {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expectedError");
        QTest::newRow("plain ws") << "ws://localhost/ws"
                                  << "unsupported scheme 'ws': Flowscope only connects over TLS "
                                     "(use wss://)";
        QTest::newRow("plain http") << "http://api.binance.com"
                                    << "unsupported scheme 'http': Flowscope only connects over "
                                       "TLS (use https://)";
        QTest::newRow("other scheme") << "ftp://x"
                                      << "unsupported scheme 'ftp' (expected wss or https)";
        QTest::newRow("no scheme") << "stream.binance.com:9443"
                                   << "missing scheme in 'stream.binance.com:9443' (expected "
                                      "wss://host or https://host)";
        QTest::newRow("empty") << ""
                               << "missing scheme in '' (expected wss://host or https://host)";
        QTest::newRow("missing host") << "wss:///ws"
                                      << "missing host in 'wss:///ws'";
        QTest::newRow("missing host with port") << "wss://:443"
                                                << "missing host in 'wss://:443'";
        QTest::newRow("port too big") << "wss://h:99999"
                                      << "bad port '99999' in 'wss://h:99999'";
        QTest::newRow("port zero") << "wss://h:0"
                                   << "bad port '0' in 'wss://h:0'";
        QTest::newRow("port not a number") << "wss://h:44x"
                                           << "bad port '44x' in 'wss://h:44x'";
        QTest::newRow("port negative") << "wss://h:-1"
                                       << "bad port '-1' in 'wss://h:-1'";
        QTest::newRow("empty port") << "wss://h:/ws"
                                    << "empty port in 'wss://h:/ws'";
        QTest::newRow("user info")
            << "wss://user:pw@h/ws"
            << "user name or password in 'wss://user:pw@h/ws' is not supported (API keys go in "
               "the environment)";
        QTest::newRow("space in host") << "wss://bad host/ws"
                                       << "bad host name 'bad host' in 'wss://bad host/ws'";
        QTest::newRow("space in path") << "wss://h/a b"
                                       << "bad character in path of 'wss://h/a b' (escape it "
                                          "with %XX)";
        QTest::newRow("unclosed IPv6") << "wss://[::1/ws"
                                       << "unclosed '[' in 'wss://[::1/ws'";
        QTest::newRow("bad IPv6") << "wss://[zz]/ws"
                                  << "bad IPv6 address 'zz' in 'wss://[zz]/ws'";
        QTest::newRow("junk after IPv6") << "wss://[::1]x/ws"
                                         << "unexpected text after ']' in 'wss://[::1]x/ws'";
    }
    void refusesBadUrls() {
        QFETCH(QString, text);
        QFETCH(QString, expectedError);
        std::string error;
        QVERIFY(!Url::parse(text.toStdString(), &error).has_value());
        QCOMPARE(QString::fromStdString(error), expectedError);
        QVERIFY(!Url::parse(text.toStdString()).has_value());  // the error pointer is optional
    }

    void joinKeepsSchemeHostPortAndTheBasePathDropsTheBaseQuery() {
        std::string error;
        const auto url =
            Url::join("https://api.binance.com:8443/prefix?x=1", "/api/v3/depth?limit=10", &error);
        QVERIFY2(url.has_value(), error.c_str());
        QCOMPARE(url->scheme, std::string("https"));
        QCOMPARE(url->host, std::string("api.binance.com"));
        QCOMPARE(url->port, std::uint16_t{8443});
        QCOMPARE(url->target, std::string("/prefix/api/v3/depth?limit=10"));
    }

    // CLI.md: --ws-url/--rest-url are bases with an optional path prefix; the venue's paths go
    // after the base's own path.
    void joinAppendsTheVenuePathAfterTheBasePath_data() {
        QTest::addColumn<QString>("base");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("expected");
        QTest::newRow("no path") << "wss://h:9000"
                                 << "/public/stream?streams=a@depth@100ms"
                                 << "wss://h:9000/public/stream?streams=a@depth@100ms";
        QTest::newRow("root slash") << "wss://h:9000/"
                                    << "/market/stream?streams=a@aggTrade"
                                    << "wss://h:9000/market/stream?streams=a@aggTrade";
        QTest::newRow("prefix") << "wss://h:9000/prefix"
                                << "/public/stream?streams=a@depth@100ms"
                                << "wss://h:9000/prefix/public/stream?streams=a@depth@100ms";
        QTest::newRow("prefix slash") << "wss://h:9000/a/b/"
                                      << "/market/ws/x"
                                      << "wss://h:9000/a/b/market/ws/x";
        QTest::newRow("prefix, relative path") << "https://h/gw"
                                               << "fapi/v1/depth?symbol=X"
                                               << "https://h/gw/fapi/v1/depth?symbol=X";
        QTest::newRow("prefix with query") << "https://h/gw?k=v"
                                           << "/fapi/v1/depth"
                                           << "https://h/gw/fapi/v1/depth";
        QTest::newRow("prefix, empty path") << "https://h/gw"
                                            << ""
                                            << "https://h/gw/";
    }
    void joinAppendsTheVenuePathAfterTheBasePath() {
        QFETCH(QString, base);
        QFETCH(QString, path);
        QFETCH(QString, expected);
        std::string error;
        const auto url = Url::join(base.toStdString(), path.toStdString(), &error);
        QVERIFY2(url.has_value(), error.c_str());
        QCOMPARE(QString::fromStdString(url->toString()), expected);
    }

    void joinAddsTheLeadingSlash() {
        QCOMPARE(Url::join("https://h", "0/public/Depth")->target, std::string("/0/public/Depth"));
        QCOMPARE(Url::join("https://h/", "")->target, std::string("/"));
    }

    void joinReportsBadBaseAndBadPath() {
        std::string error;
        QVERIFY(!Url::join("http://h", "/x", &error));
        QCOMPARE(error, std::string("unsupported scheme 'http': Flowscope only connects over TLS "
                                    "(use https://)"));
        QVERIFY(!Url::join("https://h", "/a b", &error));
        QCOMPARE(error, std::string("bad character in path '/a b' (escape it with %XX)"));
    }

    void toStringOmitsTheDefaultPortAndBracketsIpv6() {
        QCOMPARE(Url::parse("wss://h:443/ws")->toString(), std::string("wss://h/ws"));
        QCOMPARE(Url::parse("wss://h:9443")->toString(), std::string("wss://h:9443/"));
        QCOMPARE(Url::parse("https://[::1]:8443/a?b")->toString(),
                 std::string("https://[::1]:8443/a?b"));
        const std::string text = "https://api.kraken.com/0/public/Depth?pair=XBTUSD&count=500";
        QCOMPARE(Url::parse(text)->toString(), text);  // round trip
    }
};

QTEST_GUILESS_MAIN(TestUrl)
#include "tst_url.moc"
