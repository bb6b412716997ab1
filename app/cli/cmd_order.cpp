// `flowscope-cli order | cancel | open-orders`: Binance spot order entry from scripts, through the
// same signed REST gateway and risk check the terminal uses. The venue's answer is printed as
// JSON on stdout; a venue reject exits 1 with Binance's code and message on stderr, a risk block
// exits 1 naming the rule (nothing is sent), usage errors exit 2. Keys come from the environment
// (../shared/CLI.md) and are never printed.
#include <chrono>
#include <functional>
#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include "arg_parser.h"
#include "book/clock.h"
#include "commands.h"
#include "io/text_excerpt.h"
#include "trading/api_keys.h"
#include "trading/binance_rest_gateway.h"
#include "venue_options.h"
#include "venues/known_instruments.h"

namespace flowscope::cli {

namespace {

using trading::BinanceReply;

constexpr TimeNs kCallTimeoutNs = 15'000'000'000;

constexpr const char* kOrderUsage =
    "usage: flowscope-cli order --venue binance-spot --symbol S --side buy|sell "
    "--type limit|market --qty Q [--price P] [--client-order-id ID] [--rest-url U] "
    "[--ca-file F] [--tick T --lot L]\n"
    "Keys: FLOWSCOPE_BINANCE_SPOT_API_KEY/_API_SECRET (or FLOWSCOPE_BINANCE_API_KEY/_API_SECRET).\n"
    "Risk limits (per order): 5 base units, 500,000 quote notional, limit price within 1% of mid,\n"
    "50 open orders. Exit 0 accepted, 1 venue reject / risk block / network failure, 2 usage.\n";
constexpr const char* kCancelUsage =
    "usage: flowscope-cli cancel --venue binance-spot --symbol S (--order-id N | "
    "--client-order-id ID) [--rest-url U] [--ca-file F]\n";
constexpr const char* kOpenOrdersUsage =
    "usage: flowscope-cli open-orders --venue binance-spot --symbol S [--rest-url U] "
    "[--ca-file F]\n";

/// The CLI's pre-trade limits: PaperDesk's defaults (defaultPaperLimits) expressed in the
/// instrument's own lots, since a script's --qty is in base units whatever the lot size is.
trading::RiskLimits cliRiskLimits(const Instrument& instrument) {
    trading::RiskLimits limits;
    limits.maxOrderQty = instrument.roundToLots(5.0);
    limits.maxOrderNotional = 500'000.0;
    limits.priceBandBps = 100;
    limits.maxOpenOrders = 50;
    limits.maxPositionQty = instrument.roundToLots(20.0);
    limits.maxOrdersPerSecond = 20;
    limits.dailyLossLimit = 50'000.0;
    return limits;
}

/// Runs the loop until the gateway answers one call (or the timeout passes).
BinanceReply await(net::EventLoop& loop,
                   const std::function<void(trading::BinanceRestGateway::Callback)>& call) {
    std::optional<BinanceReply> reply;
    call([&reply](BinanceReply r) { reply = std::move(r); });
    const auto start = std::chrono::steady_clock::now();
    while (!reply) {
        if (std::chrono::steady_clock::now() - start > std::chrono::nanoseconds(kCallTimeoutNs)) {
            BinanceReply timeout;
            timeout.message = "no answer within 15 s";
            return timeout;
        }
        loop.runFor(50'000'000);
    }
    return std::move(*reply);
}

/// stdout gets the venue's answer (accepted or rejected); stderr the reason of a failure.
int report(const BinanceReply& reply, const std::string& what, std::ostream& out,
           std::ostream& err) {
    switch (reply.kind) {
        case BinanceReply::Kind::Ok:
            out << reply.body << '\n';
            return kExitOk;
        case BinanceReply::Kind::VenueReject:
            out << reply.body << '\n';
            err << "binance-spot rejected the " << what << ": code " << reply.code << ": "
                << reply.message << '\n';
            return kExitFailure;
        case BinanceReply::Kind::Refused:
            err << what << " not sent: " << (reply.riskRule ? "blocked by risk rule " : "refused: ")
                << reply.message << '\n';
            return kExitFailure;
        case BinanceReply::Kind::NetworkError:
            err << what << " failed: " << reply.message;
            if (reply.httpStatus != 0) err << " (HTTP " << reply.httpStatus << ')';
            err << '\n';
            return kExitFailure;
    }
    return kExitFailure;
}

/// A --client-order-id outside Binance's pattern is a usage error, found before any traffic: it
/// could not name an order, and the gateway would refuse it anyway.
bool checkClientOrderId(const ArgParser& parser, std::ostream& err) {
    const auto id = parser.value("client-order-id");
    if (!id || trading::isBinanceClientOrderId(*id)) return true;
    err << "--client-order-id " << quoteExcerpt(*id)
        << ": Binance allows 1 to 36 of the characters A-Z a-z 0-9 . : / _ -\n";
    return false;
}

/// What every order subcommand shares: options, keys, the gateway and its clock offset.
struct Session {
    VenueChoice venue;
    net::EventLoop loop;
    std::unique_ptr<trading::BinanceRestGateway> gateway;
};

/// Parses and connects; returns an exit code, or -1 when `session` is ready.
int open(const std::vector<std::string>& args, const std::set<std::string>& extra,
         const char* usage, ArgParser& parser, Session& session, std::ostream& out,
         std::ostream& err) {
    std::set<std::string> valued = venueOptionNames();
    valued.insert(extra.begin(), extra.end());
    parser = ArgParser(valued, {"help"});
    if (!parser.parse(args)) {
        err << parser.error() << '\n' << usage;
        return kExitBadInput;
    }
    if (parser.flag("help")) {
        out << usage;
        return kExitOk;
    }
    if (!parser.positional().empty()) {
        err << "unexpected argument " << quoteExcerpt(parser.positional().front()) << "\n" << usage;
        return kExitBadInput;
    }
    std::string error;
    auto choice = readVenueOptions(parser, error);
    if (!choice) {
        err << error << '\n' << usage;
        return kExitBadInput;
    }
    if (choice->venue != venues::VenueId::BinanceSpot) {
        err << "order entry is not available for " << venues::venueName(choice->venue)
            << " yet: only binance-spot\n";
        return kExitBadInput;
    }
    const auto credentials =
        trading::credentialsFromEnvironment(choice->venue, trading::processEnvironment(), error);
    if (!credentials) {
        err << error << '\n';
        return kExitBadInput;
    }
    trading::BinanceGatewayConfig config;
    config.restUrl = choice->endpoints.restUrl.empty() ? venues::defaultRestUrl(choice->venue)
                                                       : choice->endpoints.restUrl;
    config.tls.caFile = choice->endpoints.caFile;
    if (!net::Url::parse(config.restUrl, &error)) {
        err << "--rest-url: " << error << '\n';
        return kExitBadInput;
    }
    trading::RiskCheck risk(choice->instrument, cliRiskLimits(choice->instrument));
    // The venue's order step, coarser than the book's lot the instrument converts with.
    if (const auto step = venues::venueOrderStep(choice->venue, choice->symbol))
        risk.setOrderStep(*step);
    // An order typed on the command line is the explicit action CLI.md arms by itself.
    risk.setArmed(true);
    session.venue = *choice;
    session.gateway = std::make_unique<trading::BinanceRestGateway>(session.loop, std::move(config),
                                                                    *credentials, std::move(risk));
    const BinanceReply time =
        await(session.loop, [&](auto done) { session.gateway->syncTime(std::move(done)); });
    if (!time.ok()) return report(time, "server time request", out, err);
    return -1;
}

}  // namespace

int runOrder(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    ArgParser parser({}, {});
    Session session;
    const std::set<std::string> extra{"side", "type", "qty", "price", "client-order-id"};
    // Check the order's own options before any network traffic.
    {
        ArgParser early(
            [&] {
                auto v = venueOptionNames();
                v.insert(extra.begin(), extra.end());
                return v;
            }(),
            {"help"});
        if (early.parse(args) && !early.flag("help")) {
            const auto side = early.value("side");
            const auto type = early.value("type");
            if (!side || (*side != "buy" && *side != "sell")) {
                err << "--side must be buy or sell\n" << kOrderUsage;
                return kExitBadInput;
            }
            if (!type || (*type != "limit" && *type != "market")) {
                err << "--type must be limit or market\n" << kOrderUsage;
                return kExitBadInput;
            }
            if (!early.value("qty")) {
                err << "missing --qty\n" << kOrderUsage;
                return kExitBadInput;
            }
            if ((*type == "limit") != early.value("price").has_value()) {
                err << (*type == "limit" ? "a limit order needs --price\n"
                                         : "a market order takes no --price\n")
                    << kOrderUsage;
                return kExitBadInput;
            }
            if (!checkClientOrderId(early, err)) return kExitBadInput;
        }
    }
    if (const int code = open(args, extra, kOrderUsage, parser, session, out, err); code >= 0)
        return code;
    const Instrument& instrument = session.venue.instrument;

    trading::OrderRequest request;
    request.side = *parser.value("side") == "buy" ? Side::Bid : Side::Ask;
    request.type =
        *parser.value("type") == "limit" ? trading::OrderType::Limit : trading::OrderType::Market;
    const auto qty = instrument.parseSize(*parser.value("qty"));
    if (!qty || *qty <= 0) {
        err << "--qty " << quoteExcerpt(*parser.value("qty"))
            << ": a positive multiple of the lot size " << instrument.lotSize().toString() << '\n';
        return kExitBadInput;
    }
    if (const Lots step = session.gateway->risk().orderStepLots(); *qty % step != 0) {
        err << "--qty " << quoteExcerpt(*parser.value("qty")) << ": not a multiple of "
            << venues::venueName(session.venue.venue) << "'s order step for " << instrument.symbol()
            << ", " << instrument.formatSize(step) << '\n';
        return kExitBadInput;
    }
    request.qty = *qty;
    if (request.type == trading::OrderType::Limit) {
        const auto price = instrument.parsePrice(*parser.value("price"));
        if (!price || *price <= 0) {
            err << "--price " << quoteExcerpt(*parser.value("price"))
                << ": a positive multiple of the tick size " << instrument.tickSize().toString()
                << '\n';
            return kExitBadInput;
        }
        request.priceTicks = *price;
    }
    const std::string clientOrderId =
        parser.value("client-order-id")
            .value_or(trading::ClientOrderIdGenerator(
                          "fs" + trading::ClientOrderIdGenerator::sessionPrefixFor(wallNowNs()))
                          .next());

    // The risk check needs the touch and the number of live orders.
    trading::BinanceRestGateway& gateway = *session.gateway;
    const BinanceReply touch =
        await(session.loop, [&](auto done) { gateway.fetchTouch(std::move(done)); });
    if (!touch.ok()) return report(touch, "order book request", out, err);
    trading::RiskContext context;
    if (!trading::parseBinanceTouch(touch.body, instrument, context)) {
        err << "order not sent: unreadable order book answer\n";
        return kExitFailure;
    }
    const BinanceReply open =
        await(session.loop, [&](auto done) { gateway.openOrders(std::move(done)); });
    if (!open.ok()) return report(open, "open-orders request", out, err);
    context.openOrders = std::max(0, trading::countBinanceOrders(open.body));
    context.nowNs = wallNowNs();

    const BinanceReply reply = await(session.loop, [&](auto done) {
        gateway.placeOrder(request, clientOrderId, context, std::move(done));
    });
    return report(reply, "order", out, err);
}

int runCancel(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    ArgParser parser({}, {});
    Session session;
    {
        ArgParser early(
            [] {
                auto v = venueOptionNames();
                v.insert({"order-id", "client-order-id"});
                return v;
            }(),
            {"help"});
        if (early.parse(args) && !early.flag("help")) {
            if (early.value("order-id").has_value() == early.value("client-order-id").has_value()) {
                err << "give exactly one of --order-id and --client-order-id\n" << kCancelUsage;
                return kExitBadInput;
            }
            if (!checkClientOrderId(early, err)) return kExitBadInput;
        }
    }
    if (const int code =
            open(args, {"order-id", "client-order-id"}, kCancelUsage, parser, session, out, err);
        code >= 0)
        return code;
    trading::BinanceRestGateway& gateway = *session.gateway;
    BinanceReply reply;
    if (const auto id = parser.value("order-id")) {
        std::string error;
        const auto orderId = parsePositive("order-id", *id, error);
        if (!orderId) {
            err << error << '\n';
            return kExitBadInput;
        }
        reply = await(session.loop, [&](auto done) {
            gateway.cancelOrder(static_cast<std::uint64_t>(*orderId), std::move(done));
        });
    } else {
        const std::string clientId = *parser.value("client-order-id");
        reply =
            await(session.loop, [&](auto done) { gateway.cancelOrder(clientId, std::move(done)); });
    }
    return report(reply, "cancel", out, err);
}

int runOpenOrders(const std::vector<std::string>& args, std::ostream& out, std::ostream& err) {
    ArgParser parser({}, {});
    Session session;
    if (const int code = open(args, {}, kOpenOrdersUsage, parser, session, out, err); code >= 0)
        return code;
    const BinanceReply reply =
        await(session.loop, [&](auto done) { session.gateway->openOrders(std::move(done)); });
    return report(reply, "open-orders request", out, err);
}

}  // namespace flowscope::cli
