// Binance's request signature: HMAC-SHA256 hex over the exact query string, checked against the
// example in Binance's own API documentation and RFC 4231.
#include <QTest>

#include "trading/binance_signer.h"

using flowscope::trading::hmacSha256Hex;
using flowscope::trading::signBinanceQuery;

namespace {
// From Binance's spot API docs, "SIGNED Endpoint Examples for POST /api/v3/order".
constexpr const char* kDocSecret =
    "NhqPtmdSJYdKjVHjA7PZj4Mge3R5YNiP1e3UZjInClVN65XAbvqqM6A7H5fATj0j";
constexpr const char* kDocQuery =
    "symbol=LTCBTC&side=BUY&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&recvWindow=5000&"
    "timestamp=1499827319559";
constexpr const char* kDocSignature =
    "c8db56825ae71d6d79447849e617115f4a920fa2acdcab2b053c4b2838bd6b71";
}  // namespace

class TestBinanceSigner : public QObject {
    Q_OBJECT

  private slots:
    void documentedExampleSignsToTheDocumentedSignature() {
        QCOMPARE(QString::fromStdString(hmacSha256Hex(kDocSecret, kDocQuery)),
                 QString(kDocSignature));
    }

    void rfc4231TestCase2() {
        // RFC 4231 section 4.3: key "Jefe", data "what do ya want for nothing?".
        QCOMPARE(QString::fromStdString(hmacSha256Hex("Jefe", "what do ya want for nothing?")),
                 QString("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"));
    }

    void signedQueryIsTheQueryWithItsSignatureAppended() {
        QCOMPARE(QString::fromStdString(signBinanceQuery(kDocQuery, kDocSecret)),
                 QString(kDocQuery) + "&signature=" + kDocSignature);
    }

    void signatureCoversTheExactTextNotTheParameters() {
        // The same parameters in another order are another text: another signature.
        const std::string reordered =
            "side=BUY&symbol=LTCBTC&type=LIMIT&timeInForce=GTC&quantity=1&price=0.1&"
            "recvWindow=5000&timestamp=1499827319559";
        QVERIFY(hmacSha256Hex(kDocSecret, reordered) != kDocSignature);
        QVERIFY(hmacSha256Hex(std::string(kDocSecret) + "x", kDocQuery) != kDocSignature);
        QCOMPARE(hmacSha256Hex(kDocSecret, "").size(), std::size_t{64});
    }
};

QTEST_GUILESS_MAIN(TestBinanceSigner)
#include "tst_binance_signer.moc"
