// flowscope-exchange: a loopback exchange for tests. One TLS port on 127.0.0.1 speaks the real wire
// protocols of Binance spot and Kraken WebSocket v2 over one authoritative book, driven by a
// scenario, with faults injected from a control channel on stdin.
//
// Command line (a contract tests script against):
//   flowscope-exchange --cert PEM --key PEM [--port N (0 = any)] [--symbol BTCUSDT]
//                      [--kraken-symbol BTC/USD]
//                      [--scenario synthetic|lobster:MESSAGE_CSV,ORDERBOOK_CSV] [--seed N]
//                      [--rate EVENTS_PER_SECOND] [--tick 0.01] [--lot 0.00001]
//                      [--api-key K --api-secret S]   (credentials of the signed endpoints)
//   - binds 127.0.0.1 only; on start prints exactly one line "listening 127.0.0.1:<port>" to
//     stdout and flushes; errors go to stderr; exit 2 on bad arguments (or unusable cert, key or
//     scenario files), 1 when the port cannot be bound, 0 after `quit` or stdin EOF.
//   - --rate: source events (simulator flow events or LOBSTER rows) per second, default 100.
//   - --tick / --lot: the instrument's steps; Kraken's "pair precision" (checksum formatting) is
//     their number of decimals.
//
// Endpoints (routed by path on the one port):
//   GET /api/v3/depth?symbol=S&limit=N      Binance REST snapshot (also /api/v3/ping, /api/v3/time)
//   POST/DELETE /api/v3/order, GET /api/v3/openOrders, /api/v3/account: signed (README.md)
//   WS  /stream?streams=<s>@depth@100ms/<s>@trade    Binance combined streams
//   WS  /ws/<stream>[/<stream>]             Binance raw streams (SUBSCRIBE/UNSUBSCRIBE also work)
//   WS  /v2                                 Kraken v2: book (depth 10/25/100/500/1000) and trade
//
// Control (stdin, one command a line; one answer line on stdout, "ok ..." or "error ..."):
//   pause | resume | book N | stats | quit | tls-cert CHAIN_PEM KEY_PEM | fill-resting
//   fault drop | skip | duplicate | reorder | corrupt-checksum | malformed | stall SECONDS |
//         huge BYTES | refuse-tls N | rest-error [STATUS] | stale-snapshot | rest-hangup [N] |
//         rest-close [N] | close-idle
// `book N` and `stats` answer "ok <one line of JSON>". See README.md for each fault.

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>

#include <unistd.h>

#include <cstdio>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include "control_channel.h"
#include "exchange.h"
#include "listener.h"

namespace asio = boost::asio;
using namespace flowscope::exchange;

namespace {

constexpr int kBadArguments = 2;
constexpr int kCannotListen = 1;

void writeLine(const std::string& line) {
    std::fwrite(line.data(), 1, line.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

// Reads stdin with read(2) on its own thread (stdin may be a pipe, a file or a terminal) and posts
// each line to the io thread. Detached: it may still be blocked in read() when the process exits,
// and it holds no stdio lock while it is.
void startStdinReader(asio::io_context& io, std::function<void(std::string)> onLine,
                      std::function<void()> onEof) {
    std::thread([&io, onLine = std::move(onLine), onEof = std::move(onEof)] {
        std::string pending;
        char chunk[4096];
        for (;;) {
            const ssize_t n = ::read(STDIN_FILENO, chunk, sizeof chunk);
            if (n <= 0) break;
            pending.append(chunk, static_cast<std::size_t>(n));
            std::size_t newline;
            while ((newline = pending.find('\n')) != std::string::npos) {
                asio::post(io, [onLine, line = pending.substr(0, newline)] { onLine(line); });
                pending.erase(0, newline + 1);
            }
        }
        if (!pending.empty()) asio::post(io, [onLine, line = pending] { onLine(line); });
        asio::post(io, onEof);
    }).detach();
}

}  // namespace

int main(int argc, char** argv) {
    const ParsedOptions parsed = parseOptions(argc, argv);
    if (parsed.help) {
        std::cout << usage();
        return 0;
    }
    if (!parsed.options) {
        std::cerr << "flowscope-exchange: " << parsed.error << '\n' << usage();
        return kBadArguments;
    }
    const ExchangeOptions& options = *parsed.options;

    asio::ssl::context tls(asio::ssl::context::tls_server);
    std::unique_ptr<Scenario> scenario;
    try {
        tls.set_options(asio::ssl::context::default_workarounds | asio::ssl::context::no_sslv2 |
                        asio::ssl::context::no_sslv3 | asio::ssl::context::no_tlsv1 |
                        asio::ssl::context::no_tlsv1_1);
        tls.use_certificate_chain_file(options.certPath);
        tls.use_private_key_file(options.keyPath, asio::ssl::context::pem);
        scenario = makeScenario(options);
    } catch (const std::exception& e) {
        std::cerr << "flowscope-exchange: " << e.what() << '\n';
        return kBadArguments;
    }

    asio::io_context io;
    Exchange exchange(io, options, std::move(scenario));
    exchange.setTlsContext(&tls);
    std::shared_ptr<Listener> listener;
    try {
        listener = std::make_shared<Listener>(io, tls, exchange, options.port);
    } catch (const std::exception& e) {
        std::cerr << "flowscope-exchange: cannot listen on 127.0.0.1:" << options.port << ": "
                  << e.what() << '\n';
        return kCannotListen;
    }
    exchange.start();
    listener->run();
    writeLine("listening 127.0.0.1:" + std::to_string(listener->port()));

    ControlChannel control(exchange);
    auto shutdown = [&] {
        listener->stop();
        exchange.stop();
        io.stop();
    };
    startStdinReader(
        io,
        [&](const std::string& line) {
            bool quit = false;
            const std::string answer = control.execute(line, quit);
            if (!answer.empty()) writeLine(answer);
            if (quit) shutdown();
        },
        shutdown);
    io.run();
    return 0;
}
