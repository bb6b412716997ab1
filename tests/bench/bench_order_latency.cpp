// Order entry latency against the loopback exchange (tests/exchange) over real TLS on 127.0.0.1,
// p50/p99 over many orders, on the gateway's persistent (warm) connection:
//   click -> submit() returns: the risk check, the order manager, the HMAC signature and the
//     hand-off to the HTTPS client, all on the caller's (feed) thread. On a warm connection the
//     write is issued inside submit(), and Asio tries the send() at once, so the request's bytes
//     are normally in the kernel before submit() returns.
//   click -> write issued: the steady clock read by the HTTPS client just before it issues the
//     async write on the open TLS connection (inside submit()).
//   click -> write completed: read in the write's completion handler, which runs from the loop
//     after submit() returned: an upper bound on when the bytes were in the socket (it includes
//     the bench getting back into the loop).
//   click -> venue ack: everything up to the FULL answer applied to the order.
// Then the same for "signal -> ...": OrderEntry::submit() with an OrderRequest, the call the
// alert desk makes when a rule fires (the rule evaluation before it is not measured here), for
// market orders that fill at once, alternating sides. Then "print -> ...": a trade printing
// through a bracket's stop, to the stop's market order (after the take-profit's cancel answer).
// --no-keep-alive measures the old behaviour (a new TCP + TLS connection for every request).
//
// Usage: bench_order_latency [--exchange PATH] [--orders N] [--no-keep-alive]
//   PATH defaults to FLOWSCOPE_EXCHANGE when the build defines it. Each limit order is cancelled
//   before the next one leaves, so every order meets the same idle connection.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "net/event_loop.h"
#include "test_tls.h"
#include "trading/binance_order_entry.h"

using namespace flowscope;
using namespace flowscope::trading;
using Clock = std::chrono::steady_clock;

namespace {

constexpr const char* kKey = "bench-key-0123456789";
constexpr const char* kSecret = "bench-secret-abcdefghij";

/// The exchange as a child process: its stdin for control commands, its first stdout line for
/// the port. Closing stdin ends it.
class Exchange {
  public:
    Exchange(const std::string& path, const testing::TestTls& tls) {
        int in[2], out[2];
        if (pipe(in) != 0 || pipe(out) != 0) throw std::runtime_error("pipe");
        pid_ = fork();
        if (pid_ < 0) throw std::runtime_error("fork");
        if (pid_ == 0) {
            dup2(in[0], 0);
            dup2(out[1], 1);
            close(in[1]);
            close(out[0]);
            execl(path.c_str(), path.c_str(), "--cert", tls.serverCert.c_str(), "--key",
                  tls.serverKey.c_str(), "--port", "0", "--api-key", kKey, "--api-secret", kSecret,
                  static_cast<char*>(nullptr));
            _exit(127);
        }
        close(in[0]);
        close(out[1]);
        toChild_ = fdopen(in[1], "w");
        fromChild_ = fdopen(out[0], "r");
        const std::string line = readLine();
        const auto colon = line.rfind(':');
        if (line.rfind("listening 127.0.0.1:", 0) != 0 || colon == std::string::npos)
            throw std::runtime_error("exchange said: " + line);
        port_ = std::stoi(line.substr(colon + 1));
    }
    ~Exchange() {
        std::fclose(toChild_);  // EOF: the exchange exits
        int status = 0;
        waitpid(pid_, &status, 0);
        std::fclose(fromChild_);
    }
    std::string command(const std::string& text) {
        std::fprintf(toChild_, "%s\n", text.c_str());
        std::fflush(toChild_);
        return readLine();
    }
    std::string restUrl() const { return "https://127.0.0.1:" + std::to_string(port_); }

  private:
    std::string readLine() {
        char buf[4096];
        if (!std::fgets(buf, sizeof buf, fromChild_)) return {};
        std::string s(buf);
        while (!s.empty() && (s.back() == '\n' || s.back() == '\r'))
            s.pop_back();
        return s;
    }
    pid_t pid_ = -1;
    FILE* toChild_ = nullptr;
    FILE* fromChild_ = nullptr;
    int port_ = 0;
};

/// Polls the loop without sleeping until `done`: the ack is timestamped when it is applied. (A
/// sleeping EventLoop::runFor() returns only at its deadline, and epoll rounds that up to a
/// millisecond, which would swamp the spans measured here.)
bool runUntil(net::EventLoop& loop, const std::function<bool()>& done, double seconds = 5.0) {
    const auto end = Clock::now() + std::chrono::duration<double>(seconds);
    while (!done()) {
        if (Clock::now() > end) return false;
        loop.poll();
    }
    return true;
}

double micros(TimeNs ns) {
    return static_cast<double>(ns) / 1000.0;
}

TimeNs steadyNs(Clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(t.time_since_epoch()).count();
}

double percentile(std::vector<double> v, double p) {
    std::sort(v.begin(), v.end());
    const auto i = static_cast<std::size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
    return v[std::min(i, v.size() - 1)];
}

bool orderIn(const BinanceOrderEntry& entry, const ClientOrderId& id, OrderState state) {
    const Order* o = entry.manager().find(id);
    return o && o->state() == state;
}

/// One latency series: p50/p99 of each span from the click (or signal).
struct Series {
    /// What the first span ends at: the call made at the click, signal or print returning.
    std::string firstSpan = "submit() returns:";
    std::vector<double> submitUs, issuedUs, writtenUs, ackUs;
    int reused = 0;

    void add(Clock::time_point t0, Clock::time_point t1, Clock::time_point t2,
             const RequestTiming& timing) {
        const TimeNs start = steadyNs(t0);
        submitUs.push_back(micros(steadyNs(t1) - start));
        if (timing.writeIssuedSteadyNs)
            issuedUs.push_back(micros(timing.writeIssuedSteadyNs - start));
        if (timing.writtenSteadyNs) writtenUs.push_back(micros(timing.writtenSteadyNs - start));
        ackUs.push_back(micros(steadyNs(t2) - start));
        if (timing.reusedConnection) ++reused;
    }

    void print(const char* from) const {
        auto line = [](const std::string& what, const std::vector<double>& v) {
            if (v.empty()) return;
            std::printf("%-42s p50 %8.1f us  p99 %8.1f us\n", what.c_str(), percentile(v, 0.50),
                        percentile(v, 0.99));
        };
        const std::string f = from;
        line(f + " -> " + firstSpan, submitUs);
        line(f + " -> write issued (in submit()):", issuedUs);
        line(f + " -> write completed (handler):", writtenUs);
        line(f + " -> venue ack (loopback TLS):", ackUs);
        std::printf("%s: %d of %zu orders written on an already open connection\n", from, reused,
                    ackUs.size());
    }
};

}  // namespace

int main(int argc, char** argv) {
#ifdef FLOWSCOPE_EXCHANGE
    std::string exchangePath = FLOWSCOPE_EXCHANGE;
#else
    std::string exchangePath;
#endif
    int orders = 1000;
    bool keepAlive = true;
    for (int i = 1; i < argc; ++i) {
        if (std::strcmp(argv[i], "--no-keep-alive") == 0) keepAlive = false;
        if (i + 1 >= argc) continue;
        if (std::strcmp(argv[i], "--exchange") == 0)
            exchangePath = argv[++i];
        else if (std::strcmp(argv[i], "--orders") == 0)
            orders = std::max(10, std::atoi(argv[++i]));
    }
    if (exchangePath.empty()) {
        std::fprintf(stderr, "usage: %s --exchange PATH [--orders N]\n", argv[0]);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    testing::TestTls tls;
    Exchange exchange(exchangePath, tls);
    exchange.command("pause");  // a fixed touch: every order rests at the same distance

    const Instrument instrument("BTCUSDT", *DecimalStep::parse("0.01"),
                                *DecimalStep::parse("0.00001"));
    net::EventLoop loop;
    BinanceOrderEntryConfig config;
    config.gateway.restUrl = exchange.restUrl();
    config.gateway.tls.caFile = tls.caCert;
    config.gateway.weightLimitPerMinute = 1'000'000;  // the loopback exchange does not limit
    config.gateway.keepAlive = keepAlive;
    config.credentials = {SecretText(kKey), SecretText(kSecret)};
    config.limits.maxOrderQty = 100'000;
    config.limits.maxOrderNotional = 1'000'000;
    config.limits.priceBandBps = 100;
    config.limits.maxOpenOrders = 10;
    config.limits.maxPositionQty = 1'000'000;
    config.limits.maxOrdersPerSecond = 1'000'000;
    config.limits.dailyLossLimit = 1'000'000;
    BinanceOrderEntry entry(loop, instrument, config, 1'700'000'000'000'000'000);

    // The touch from the exchange's own book, through its control channel.
    const std::string book = exchange.command("book 1");
    auto firstPrice = [&](const char* side) {
        const auto at = book.find(side);
        const auto open = book.find('"', book.find("[[", at) + 2);
        return *instrument.parsePrice(book.substr(open + 1, book.find('"', open + 1) - open - 1));
    };
    const PriceTicks bid = firstPrice("\"bids\"");
    const PriceTicks ask = firstPrice("\"asks\"");
    entry.onMarket(bid, ask);
    if (!runUntil(loop, [&] { return !entry.reconciling(); })) {
        std::fprintf(stderr, "reconciliation did not finish\n");
        return 1;
    }
    entry.setArmed(true);

    Series clicks;
    for (int i = 0; i < orders; ++i) {
        const auto t0 = Clock::now();
        const SubmitOutcome o =
            entry.submitLimit(Side::Bid, bid - 100 - i % 50, 100, "bench-" + std::to_string(i));
        const auto t1 = Clock::now();
        if (o.status != SubmitStatus::Sent) {
            std::fprintf(stderr, "order %d not sent: %s\n", i, entry.state().lastMessage.c_str());
            return 1;
        }
        if (!runUntil(loop, [&] { return orderIn(entry, o.id, OrderState::Acknowledged); })) {
            std::fprintf(stderr, "order %d not acknowledged\n", i);
            return 1;
        }
        const auto t2 = Clock::now();
        clicks.add(t0, t1, t2, entry.rest().lastOrderTiming());
        (void)entry.cancel(o.id);
        if (!runUntil(loop, [&] { return orderIn(entry, o.id, OrderState::Cancelled); })) {
            std::fprintf(stderr, "order %d not cancelled\n", i);
            return 1;
        }
    }

    // The alert desk's call: OrderEntry::submit with a market order, which fills at once.
    Series signals;
    for (int i = 0; i < orders; ++i) {
        const OrderRequest request{i % 2 == 0 ? Side::Bid : Side::Ask, OrderType::Market, 0, 100,
                                   TimeInForce::ImmediateOrCancel};
        OrderEntry& desk = entry;
        const auto t0 = Clock::now();
        const SubmitOutcome o = desk.submit(request, "signal-" + std::to_string(i));
        const auto t1 = Clock::now();
        if (o.status != SubmitStatus::Sent) {
            std::fprintf(stderr, "signal order %d not sent: %s\n", i,
                         entry.state().lastMessage.c_str());
            return 1;
        }
        if (!runUntil(loop, [&] { return orderIn(entry, o.id, OrderState::Filled); })) {
            std::fprintf(stderr, "signal order %d not filled\n", i);
            return 1;
        }
        signals.add(t0, t1, Clock::now(), entry.rest().lastOrderTiming());
    }

    // A bracket's stop: a long of 100 with its take-profit resting, then a print through the
    // stop. The stop's market order leaves once the take-profit's cancel is answered (its fills
    // are learned late on Binance), so this span holds one loopback round trip by design.
    Series stops;
    stops.firstSpan = "brackets serviced (TP cancel sent):";
    const int brackets = std::max(10, orders / 5);
    for (int i = 0; i < brackets; ++i) {
        const OrderRequest buy{Side::Bid, OrderType::Market, 0, 100,
                               TimeInForce::ImmediateOrCancel};
        const SubmitOutcome o = entry.submitBracket(buy, {50, 30}, "stop-" + std::to_string(i));
        const auto takeProfitResting = [&] {
            for (const WorkingOrder& w : entry.state().orders)
                if (w.role == OrderRole::TakeProfit && !w.heldLocally &&
                    orderIn(entry, w.id, OrderState::Acknowledged))
                    return true;
            return false;
        };
        if (o.status != SubmitStatus::Sent || !runUntil(loop, takeProfitResting)) {
            std::fprintf(stderr, "bracket %d not in place: %s\n", i,
                         entry.state().lastMessage.c_str());
            return 1;
        }
        const PriceTicks stop =
            static_cast<PriceTicks>(entry.manager().position().averagePriceTicks()) - 30;
        const auto t0 = Clock::now();
        entry.onPrint(stop);
        entry.onMarket(bid, ask);  // where the feed thread hands prints to the brackets
        const auto t1 = Clock::now();
        if (!runUntil(loop, [&] {
                return entry.manager().position().qty() == 0 && entry.state().orders.empty();
            })) {
            std::fprintf(stderr, "bracket %d: the stop did not close the position\n", i);
            return 1;
        }
        stops.add(t0, t1, Clock::now(), entry.rest().lastOrderTiming());
    }

    const auto& connections = entry.rest().connectionStats();
    std::printf(
        "orders: %d limit buys (each cancelled before the next), then %d market orders; "
        "keep-alive %s\n",
        orders, orders, keepAlive ? "on" : "off");
    clicks.print("click");
    signals.print("signal");
    std::printf("stops: %d brackets, each stopped out by a print through the stop\n", brackets);
    stops.print("print");
    std::printf(
        "client: %llu connections opened, %llu TLS handshakes, %llu requests on a kept "
        "connection, %llu retries; exchange: %s\n",
        static_cast<unsigned long long>(connections.connectionsOpened),
        static_cast<unsigned long long>(connections.handshakes),
        static_cast<unsigned long long>(connections.reusedRequests),
        static_cast<unsigned long long>(connections.retries),
        exchange.command("stats").substr(3, 140).c_str());
    return 0;
}
