// Signed-request parameters: every value percent-encoded as it is added (RFC 3986 unreserved
// characters kept), so a value cannot add or override a parameter; the signature is over the
// encoded text (Binance since 2026-01-15). Expected strings written by hand; signatures computed
// independently with Python's hmac.new(secret, text, hashlib.sha256).hexdigest().
#include <QTest>

#include "trading/binance_signer.h"
#include "trading/query_string.h"

using flowscope::trading::isBinanceClientOrderId;
using flowscope::trading::percentEncode;
using flowscope::trading::QueryString;
using flowscope::trading::signBinanceQuery;

namespace {
// The secret of Binance's documented HMAC example.
constexpr const char* kDocSecret =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
}  // namespace

class TestQueryString : public QObject {
    Q_OBJECT

  private slots:
    void encodesEverythingButUnreserved_data() {
        QTest::addColumn<QByteArray>("raw");
        QTest::addColumn<QString>("encoded");
        QTest::newRow("unreserved") << QByteArray("AZaz09-._~") << "AZaz09-._~";
        QTest::newRow("separators") << QByteArray("a&b=c") << "a%26b%3Dc";
        QTest::newRow("space plus percent") << QByteArray(" +%") << "%20%2B%25";
        QTest::newRow("pattern punctuation") << QByteArray("x:y/z") << "x%3Ay%2Fz";
        QTest::newRow("newline and NUL") << QByteArray("a\n\0b", 4) << "a%0A%00b";
        // U+FF11 FULLWIDTH DIGIT ONE is EF BC 91 in UTF-8.
        QTest::newRow("utf8") << QByteArray("\xef\xbc\x91") << "%EF%BC%91";
    }
    void encodesEverythingButUnreserved() {
        QFETCH(QByteArray, raw);
        QFETCH(QString, encoded);
        QCOMPARE(
            QString::fromStdString(::percentEncode(std::string_view(raw.constData(), raw.size()))),
            encoded);
    }

    void injectedValueStaysOneParameter() {
        QueryString query;
        query.add("symbol", "BTCUSDT").add("origClientOrderId", "nope&orderId=7");
        QCOMPARE(QString::fromStdString(query.text()),
                 QString("symbol=BTCUSDT&origClientOrderId=nope%26orderId%3D7"));
        QueryString order;
        order.add("side", "BUY").add("newClientOrderId", "x&side=SELL");
        QCOMPARE(QString::fromStdString(order.text()),
                 QString("side=BUY&newClientOrderId=x%26side%3DSELL"));
    }

    void signatureCoversTheEncodedText() {
        QueryString query;
        query.add("symbol", "BTCUSDT")
            .add("origClientOrderId", "nope&orderId=7")
            .add("recvWindow", 5000)
            .add("timestamp", 1499827319559LL);
        QCOMPARE(QString::fromStdString(signBinanceQuery(query.text(), kDocSecret)),
                 QString("symbol=BTCUSDT&origClientOrderId=nope%26orderId%3D7&recvWindow=5000&"
                         "timestamp=1499827319559&signature="
                         "01c4b9b3309f394bae6db7b692f64e38dd41554dd25ddfe702ae85a1edaafee1"));
    }

    void nonAsciiSymbolIsEncodedBeforeSigning() {
        // Binance's documented case: a symbol of fullwidth digits "１２３４５６".
        QueryString query;
        query
            .add("symbol",
                 "\xef\xbc\x91\xef\xbc\x92\xef\xbc\x93\xef\xbc\x94\xef\xbc\x95\xef\xbc\x96")
            .add("side", "BUY")
            .add("type", "LIMIT")
            .add("timeInForce", "GTC")
            .add("quantity", "1")
            .add("price", "0.1")
            .add("recvWindow", 5000)
            .add("timestamp", 1499827319559LL);
        const QString text =
            "symbol=%EF%BC%91%EF%BC%92%EF%BC%93%EF%BC%94%EF%BC%95%EF%BC%96&side=BUY&type=LIMIT&"
            "timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&timestamp=1499827319559";
        QCOMPARE(QString::fromStdString(query.text()), text);
        QCOMPARE(
            QString::fromStdString(signBinanceQuery(query.text(), kDocSecret)),
            text + "&signature=e1353ec6b14d888f1164ae9af8228a3dbd508bc82eb867db8ab6046442f33ef3");
    }

    void binanceClientOrderIdPattern_data() {
        QTest::addColumn<QByteArray>("id");
        QTest::addColumn<bool>("valid");
        QTest::newRow("plain") << QByteArray("cli-1") << true;
        QTest::newRow("every allowed class") << QByteArray(".AZ:/az09_-") << true;
        QTest::newRow("36 characters") << QByteArray(36, 'a') << true;
        QTest::newRow("37 characters") << QByteArray(37, 'a') << false;
        QTest::newRow("empty") << QByteArray() << false;
        QTest::newRow("ampersand") << QByteArray("nope&orderId=7") << false;
        QTest::newRow("equals") << QByteArray("a=b") << false;
        QTest::newRow("space") << QByteArray("a b") << false;
        QTest::newRow("percent") << QByteArray("a%26") << false;
        QTest::newRow("newline") << QByteArray("a\n") << false;
        QTest::newRow("NUL") << QByteArray("a\0b", 3) << false;
        QTest::newRow("non-ascii") << QByteArray("\xc3\xa9") << false;
    }
    void binanceClientOrderIdPattern() {
        QFETCH(QByteArray, id);
        QFETCH(bool, valid);
        QCOMPARE(isBinanceClientOrderId(std::string_view(id.constData(), id.size())), valid);
    }
};

QTEST_GUILESS_MAIN(TestQueryString)
#include "tst_query_string.moc"
