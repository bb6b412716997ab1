#pragma once
/// The loopback exchange (tests/exchange) as a child process for a test: started with throw-away
/// TLS material, driven by its stdin control protocol, stopped on destruction. Header-only
/// because it needs QProcess and the support library is Qt-free.

#include <QProcess>
#include <QStringList>
#include <QTest>

#include <memory>
#include <stdexcept>

#include "test_tls.h"

namespace flowscope::testing {

class ExchangeProcess {
  public:
    /// Starts `flowscope-exchange` with `extraArgs`; throws if it does not come up.
    explicit ExchangeProcess(const QStringList& extraArgs = {}) {
        process_.setProgram(QStringLiteral(FLOWSCOPE_EXCHANGE));
        process_.setArguments(QStringList{"--cert", QString::fromStdString(tls_.serverCert),
                                          "--key", QString::fromStdString(tls_.serverKey), "--port",
                                          "0"} +
                              extraArgs);
        process_.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        process_.start();
        if (!process_.waitForStarted(5000)) throw std::runtime_error("exchange did not start");
        const QByteArray line = readLine(10000);
        if (!line.startsWith("listening 127.0.0.1:")) {
            throw std::runtime_error("exchange said: " + line.toStdString());
        }
        port_ = line.mid(line.lastIndexOf(':') + 1).trimmed().toInt();
    }
    ~ExchangeProcess() {
        if (process_.state() == QProcess::NotRunning) return;
        process_.write("quit\n");
        if (!process_.waitForFinished(3000)) {
            process_.kill();
            process_.waitForFinished(3000);
        }
    }
    ExchangeProcess(const ExchangeProcess&) = delete;
    ExchangeProcess& operator=(const ExchangeProcess&) = delete;

    int port() const { return port_; }
    std::string wsUrl() const { return "wss://127.0.0.1:" + std::to_string(port_); }
    std::string restUrl() const { return "https://127.0.0.1:" + std::to_string(port_); }
    const std::string& caFile() const { return tls_.caCert; }
    const std::string& otherCaFile() const { return tls_.otherCaCert; }

    /// Sends one control command; returns its answer line ("ok ...", "error ..."). Without an
    /// answer, an "error" line that says why: the exchange crashed, exited or did not answer.
    QByteArray command(const QByteArray& text) {
        process_.write(text + "\n");
        process_.waitForBytesWritten(2000);
        const QByteArray answer = readLine(10000);
        if (!answer.isEmpty()) return answer;
        if (process_.state() == QProcess::NotRunning) {
            return process_.exitStatus() == QProcess::CrashExit
                       ? "error no answer to '" + text + "': the exchange crashed (" +
                             process_.errorString().toUtf8() + ")"
                       : "error no answer to '" + text + "': the exchange exited with code " +
                             QByteArray::number(process_.exitCode());
        }
        return "error no answer to '" + text + "' within 10 s: the exchange is running but stuck";
    }
    /// `book N` as JSON text (the "ok " stripped).
    QByteArray book(int depth) {
        const QByteArray answer = command("book " + QByteArray::number(depth));
        return answer.startsWith("ok ") ? answer.mid(3) : QByteArray();
    }

  private:
    QByteArray readLine(int timeoutMs) {
        QElapsedTimer timer;
        timer.start();
        while (!process_.canReadLine() && timer.elapsed() < timeoutMs &&
               process_.state() != QProcess::NotRunning) {
            process_.waitForReadyRead(50);
        }
        return process_.readLine().trimmed();
    }

    TestTls tls_;
    QProcess process_;
    int port_ = 0;
};

}  // namespace flowscope::testing
