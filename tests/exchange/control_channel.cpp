#include "control_channel.h"

#include <charconv>
#include <cmath>
#include <vector>

#include "exchange.h"

namespace flowscope::exchange {

namespace {

constexpr std::size_t kMaxBookDepth = 5000;
constexpr std::size_t kMaxHugeBytes = 64u << 20;
constexpr double kMaxStallSeconds = 600;
/// `server-shutdown` without an argument. Binance states no delay since 2026-06-09 (it had said 10
/// minutes); a short one keeps tests quick while a client that waits for the close is still seen.
constexpr double kDefaultShutdownGraceSeconds = 10;

std::vector<std::string_view> words(std::string_view line) {
    std::vector<std::string_view> out;
    std::size_t i = 0;
    while (i < line.size()) {
        while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r'))
            ++i;
        const std::size_t start = i;
        while (i < line.size() && line[i] != ' ' && line[i] != '\t' && line[i] != '\r')
            ++i;
        if (i > start) out.push_back(line.substr(start, i - start));
    }
    return out;
}

template <typename T>
bool number(std::string_view text, T& out) {
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
    return ec == std::errc() && end == text.data() + text.size();
}

}  // namespace

std::string ControlChannel::execute(std::string_view line, bool& quit) {
    const auto args = words(line);
    if (args.empty()) return {};
    const std::string_view command = args[0];
    if (command == "pause" && args.size() == 1) {
        exchange_.pause();
        return "ok paused";
    }
    if (command == "resume" && args.size() == 1) {
        exchange_.resume();
        return "ok resumed";
    }
    if (command == "book") {
        std::size_t depth = 0;
        if (args.size() != 2 || !number(args[1], depth) || depth == 0 || depth > kMaxBookDepth)
            return "error usage: book N (1.." + std::to_string(kMaxBookDepth) + ")";
        return "ok " + exchange_.bookJson(depth);
    }
    if (command == "stats" && args.size() == 1) return "ok " + exchange_.statsJson();
    if (command == "fill-resting" && args.size() == 1)
        return "ok filled " + std::to_string(exchange_.spotOrders().fillResting()) +
               " resting orders";
    if (command == "quit" && args.size() == 1) {
        quit = true;
        return "ok quit";
    }
    if (command == "tls-cert") {
        if (args.size() != 3) return "error usage: tls-cert CHAIN_PEM KEY_PEM";
        const std::string error =
            exchange_.useCertificate(std::string(args[1]), std::string(args[2]));
        if (!error.empty()) return "error " + error;
        return "ok tls-cert: new connections present " + std::string(args[1]);
    }
    if (command == "mute" || command == "unmute") {
        if (args.size() != 2 || (args[1] != "public" && args[1] != "market"))
            return "error usage: " + std::string(command) + " public|market";
        if (!exchange_.options().usdm)
            return "error " + std::string(command) + ": only with --binance-market usdm";
        exchange_.setMuted(args[1] == "public" ? BinanceCategory::Public : BinanceCategory::Market,
                           command == "mute");
        return "ok " + std::string(command) + " " + std::string(args[1]);
    }
    if (command == "server-shutdown") {
        double seconds = kDefaultShutdownGraceSeconds;
        if (args.size() > 2 ||
            (args.size() == 2 && (!number(args[1], seconds) || !std::isfinite(seconds) ||
                                  seconds < 0 || seconds > kMaxStallSeconds)))
            return "error usage: server-shutdown [GRACE_SECONDS 0..600, default 10]";
        if (exchange_.options().usdm)
            return "error server-shutdown: Binance documents serverShutdown for spot streams only";
        const std::size_t sent =
            exchange_.serverShutdown(std::chrono::milliseconds(std::llround(seconds * 1000)));
        return "ok server-shutdown: sent to " + std::to_string(sent) +
               " connections, closing them in " + std::to_string(std::llround(seconds * 1000)) +
               " ms";
    }
    if (command == "fault") {
        const auto space = line.find("fault") + 5;
        return fault(line.substr(space));
    }
    return "error unknown command: " + std::string(line);
}

std::string ControlChannel::fault(std::string_view rest) {
    const auto args = words(rest);
    if (args.empty()) return "error usage: fault NAME [ARG]";
    const auto kind = parseFaultName(args[0]);
    if (!kind) return "error unknown fault: " + std::string(args[0]);
    const std::string name(args[0]);
    Faults& faults = exchange_.faults();
    switch (*kind) {
        case FaultKind::Drop:
            return "ok fault drop: " + std::to_string(exchange_.dropWebSockets()) +
                   " connections reset";
        case FaultKind::Malformed:
            return "ok fault malformed: sent to " + std::to_string(exchange_.sendMalformed()) +
                   " connections";
        case FaultKind::Huge: {
            std::size_t bytes = 0;
            if (args.size() != 2 || !number(args[1], bytes) || bytes == 0 || bytes > kMaxHugeBytes)
                return "error usage: fault huge BYTES (1.." + std::to_string(kMaxHugeBytes) + ")";
            return "ok fault huge " + std::to_string(bytes) + ": sent to " +
                   std::to_string(exchange_.sendHuge(bytes)) + " connections";
        }
        case FaultKind::CloseIdle:
            if (args.size() != 1) return "error usage: fault close-idle";
            return "ok fault close-idle: " + std::to_string(exchange_.closeIdleHttp()) +
                   " connections closed";
        case FaultKind::RestHangup:
        case FaultKind::RestClose: {
            std::uint32_t count = 1;
            if (args.size() > 2 || (args.size() == 2 && (!number(args[1], count) || count == 0)))
                return "error usage: fault " + name + " [N]";
            faults.arm(*kind, count);
            return "ok fault " + name + " " + std::to_string(count) + " armed";
        }
        case FaultKind::Stall: {
            double seconds = 0;
            if (args.size() != 2 || !number(args[1], seconds) || !std::isfinite(seconds) ||
                seconds <= 0 || seconds > kMaxStallSeconds)
                return "error usage: fault stall SECONDS (0..600]";
            exchange_.stall(std::chrono::milliseconds(std::llround(seconds * 1000)));
            return "ok fault stall " + std::string(args[1]);
        }
        case FaultKind::RefuseTls: {
            std::uint32_t count = 0;
            if (args.size() != 2 || !number(args[1], count) || count == 0)
                return "error usage: fault refuse-tls N";
            faults.arm(*kind, count);
            return "ok fault refuse-tls " + std::to_string(count) + " armed";
        }
        case FaultKind::RestError: {
            std::uint32_t status = 500;
            if (args.size() > 2 ||
                (args.size() == 2 && (!number(args[1], status) || status < 400 || status > 599)))
                return "error usage: fault rest-error [HTTP_STATUS 400..599, default 500]";
            faults.restErrorStatus = status;
            faults.arm(*kind);
            return "ok fault rest-error " + std::to_string(status) + " armed";
        }
        default:
            if (args.size() != 1) return "error usage: fault " + name;
            faults.arm(*kind);
            return "ok fault " + name + " armed";
    }
}

}  // namespace flowscope::exchange
