// The one quote used by error messages: bounded, cut on a UTF-8 boundary, control bytes and
// invalid UTF-8 escaped, so a message is one short printable line whatever it quotes. Expected
// strings written by hand.
#include <QTest>

#include "io/text_excerpt.h"

using flowscope::hasControlCharacter;
using flowscope::quoteExcerpt;
using flowscope::textExcerpt;

class TestTextExcerpt : public QObject {
    Q_OBJECT

  private slots:
    void quotes_data() {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("maxBytes");
        QTest::addColumn<QByteArray>("quoted");
        QTest::newRow("plain") << QByteArray("BTCUSDT") << 64 << QByteArray("'BTCUSDT'");
        QTest::newRow("empty") << QByteArray() << 64 << QByteArray("''");
        QTest::newRow("newline tab cr")
            << QByteArray("a\nb\tc\r") << 64 << QByteArray("'a\\nb\\tc\\r'");
        QTest::newRow("NUL and ESC")
            << QByteArray("a\0b\x1b", 4) << 64 << QByteArray("'a\\x00b\\x1b'");
        QTest::newRow("quote and backslash")
            << QByteArray("it's\\") << 64 << QByteArray("'it\\'s\\\\'");
        QTest::newRow("valid utf8 kept")
            << QByteArray("caf\xc3\xa9") << 64 << QByteArray("'caf\xc3\xa9'");
        // U+009B (CSI) and U+0085 (NEL) are valid UTF-8 but C1 controls: escaped, as C0 ones.
        QTest::newRow("C1 controls escaped") << QByteArray(
                                                    "a\xc2\x9b"
                                                    "2J\xc2\x85")
                                             << 64 << QByteArray("'a\\xc2\\x9b2J\\xc2\\x85'");
        QTest::newRow("U+00A0 kept") << QByteArray(
                                            "a\xc2\xa0"
                                            "b")
                                     << 64
                                     << QByteArray(
                                            "'a\xc2\xa0"
                                            "b'");
        QTest::newRow("lone continuation byte")
            << QByteArray("a\x80") << 64 << QByteArray("'a\\x80'");
        QTest::newRow("truncated sequence")
            << QByteArray("a\xe2\x82") << 64 << QByteArray("'a\\xe2\\x82'");
        QTest::newRow("overlong NUL") << QByteArray("\xc0\x80") << 64 << QByteArray("'\\xc0\\x80'");
        QTest::newRow("surrogate")
            << QByteArray("\xed\xa0\x80") << 64 << QByteArray("'\\xed\\xa0\\x80'");
        QTest::newRow("cut at the bound")
            << QByteArray("abcdefgh") << 3 << QByteArray("'abc'... (8 bytes)");
        // A 2-byte character straddling the bound is left out whole, never halved.
        QTest::newRow("never half a character")
            << QByteArray("ab\xc3\xa9z") << 3 << QByteArray("'ab'... (5 bytes)");
        QTest::newRow("exactly the bound") << QByteArray("abc") << 3 << QByteArray("'abc'");
    }
    void quotes() {
        QFETCH(QByteArray, text);
        QFETCH(int, maxBytes);
        QFETCH(QByteArray, quoted);
        const std::string out =
            quoteExcerpt(std::string_view(text.constData(), text.size()), maxBytes);
        QCOMPARE(QByteArray::fromStdString(out), quoted);
    }

    void tenMegabytesGiveAShortLine() {
        const std::string huge(10'000'000, 'x');
        const std::string out = quoteExcerpt(huge);
        QCOMPARE(QByteArray::fromStdString(out),
                 "'" + QByteArray(64, 'x') + "'... (10000000 bytes)");
        QCOMPARE(QByteArray::fromStdString(textExcerpt("--levels")), QByteArray("--levels"));
    }

    void controlCharacters() {
        QVERIFY(hasControlCharacter("a\nb"));
        QVERIFY(hasControlCharacter(std::string_view("\0", 1)));
        QVERIFY(hasControlCharacter("\x7f"));
        QVERIFY(!hasControlCharacter("plain text \xc3\xa9"));
    }
};

QTEST_GUILESS_MAIN(TestTextExcerpt)
#include "tst_text_excerpt.moc"
