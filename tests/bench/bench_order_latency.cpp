// Order entry latency against the loopback exchange (tests/exchange) over real TLS on 127.0.0.1,
// p50/p99 over many orders:
//   click -> submit() returns: the risk check, the order manager, the HMAC signature and the
//     hand-off to the HTTPS client, all on the caller's (feed) thread.
//   click -> venue ack: everything up to the FULL answer applied to the order.
// The request's bytes are not written inside submit(): net::HttpsClient opens a new TCP + TLS
// connection for every request (strace shows one ClientHello per order), so the write follows
// a handshake on the loop and most of click -> ack is that handshake.
//
// Usage: bench_order_latency [--exchange PATH] [--orders N]
//   PATH defaults to FLOWSCOPE_EXCHANGE when the build defines it. Each order is cancelled
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

bool runUntil(net::EventLoop& loop, const std::function<bool()>& done, double seconds = 5.0) {
    const auto end = Clock::now() + std::chrono::duration<double>(seconds);
    while (!done()) {
        if (Clock::now() > end) return false;
        loop.runFor(100'000);
    }
    return true;
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

}  // namespace

int main(int argc, char** argv) {
#ifdef FLOWSCOPE_EXCHANGE
    std::string exchangePath = FLOWSCOPE_EXCHANGE;
#else
    std::string exchangePath;
#endif
    int orders = 1000;
    for (int i = 1; i + 1 < argc; i += 2) {
        if (std::strcmp(argv[i], "--exchange") == 0) exchangePath = argv[i + 1];
        if (std::strcmp(argv[i], "--orders") == 0) orders = std::max(10, std::atoi(argv[i + 1]));
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

    std::vector<double> submitUs, ackUs;
    submitUs.reserve(static_cast<std::size_t>(orders));
    ackUs.reserve(static_cast<std::size_t>(orders));
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
        submitUs.push_back(std::chrono::duration<double, std::micro>(t1 - t0).count());
        ackUs.push_back(std::chrono::duration<double, std::micro>(t2 - t0).count());
        (void)entry.cancel(o.id);
        if (!runUntil(loop, [&] { return orderIn(entry, o.id, OrderState::Cancelled); })) {
            std::fprintf(stderr, "order %d not cancelled\n", i);
            return 1;
        }
    }
    std::printf("orders: %d (limit buy, each cancelled before the next)\n", orders);
    std::printf("click -> submit() returns:         p50 %.1f us  p99 %.1f us\n",
                percentile(submitUs, 0.50), percentile(submitUs, 0.99));
    std::printf("click -> venue ack (loopback TLS): p50 %.1f us  p99 %.1f us\n",
                percentile(ackUs, 0.50), percentile(ackUs, 0.99));
    return 0;
}
