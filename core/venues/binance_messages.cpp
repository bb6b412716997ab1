#include "venues/binance_messages.h"

#include <simdjson.h>

#include "venues/binance_depth_scanner.h"
#include "venues/padded_frame.h"

namespace flowscope::venues {

namespace {

using simdjson::error_code;
using simdjson::ondemand::array;
using simdjson::ondemand::document;
using simdjson::ondemand::object;
using simdjson::ondemand::value;

std::string_view describe(error_code error) {
    switch (error) {
        case simdjson::NO_SUCH_FIELD:
            return "missing field";
        case simdjson::INCORRECT_TYPE:
            return "wrong type for field";
        case simdjson::NUMBER_ERROR:
        case simdjson::NUMBER_OUT_OF_RANGE:
            return "bad number in field";
        default:
            return simdjson::error_message(error);
    }
}

/// A Binance error object: {"code":-1121,"msg":"Invalid symbol."} (REST and stream replies) or
/// {"error":{"code":2,"msg":"..."},"id":1}. SUCCESS with `text` set when `object` is one,
/// NO_SUCH_FIELD when it is not.
error_code readVenueError(object& object, std::string_view& text) {
    std::int64_t code = 0;
    error_code error = object.find_field_unordered("code").get_int64().get(code);
    if (error == simdjson::NO_SUCH_FIELD) {
        simdjson::ondemand::object nested;
        error = object.find_field_unordered("error").get_object().get(nested);
        if (error) return error == simdjson::INCORRECT_TYPE ? simdjson::NO_SUCH_FIELD : error;
        return readVenueError(nested, text);
    }
    if (error) return error;
    if (object.find_field_unordered("msg").get_string().get(text)) text = "error without msg";
    return simdjson::SUCCESS;
}

}  // namespace

class BinanceMessageParser::Json {
  public:
    static constexpr std::size_t kInitialCapacity = 128 * 1024;
    static constexpr std::size_t kInitialLevels = 1024;

    Json(BinanceMarket market, BinanceDecoder decoder) : market_(market), decoder_(decoder) {
        // Grown once to more than any stream frame or 1000-level snapshot, so neither the parser
        // nor the padded copy reallocates each time a frame is longer than all before it.
        if (parser_.allocate(kInitialCapacity) == simdjson::SUCCESS &&
            validator_.allocate(kInitialCapacity) == simdjson::SUCCESS &&
            validator_.doc.allocate(kInitialCapacity) == simdjson::SUCCESS) {
            (void)padded_.load(std::string(kInitialCapacity, ' '));
        }
        bids_.reserve(kInitialLevels);
        asks_.reserve(kInitialLevels);
    }

    const BinanceMessage& parseStream(std::string_view frame);
    const BinanceSnapshotText& parseSnapshot(std::string_view body);

  private:
    /// Loads `text` into document_ and opens its top-level object; false (with the problem noted)
    /// when it is not JSON or not an object.
    bool openDocument(std::string_view text, object& top);
    bool parseSnapshotObject(object& top);
    void parseEvent(object& event);
    void parseUntyped(object& event);
    bool parseDepth(object& event);
    bool parseTrade(object& event, const char* idField);
    bool readLevels(object& object, const char* field, std::vector<BinanceLevelText>& out);
    bool malformed(std::string_view field, std::string_view what);
    bool malformed(std::string_view field, error_code error);

    BinanceMarket market_;
    BinanceDecoder decoder_;
    /// Validates each frame whole before the on-demand pass: see json::FrameDocument for why
    /// (simdjson 3.0 reaches undefined behaviour on some malformed objects read out of order;
    /// the fuzzer found Binance frames that do it too).
    simdjson::dom::parser validator_;
    simdjson::ondemand::parser parser_;
    simdjson::ondemand::document document_;
    PaddedFrame padded_;
    std::vector<BinanceLevelText> bids_;
    std::vector<BinanceLevelText> asks_;
    BinanceMessage message_;
    BinanceSnapshotText snapshot_;
    /// The first problem found in the message being parsed.
    std::string_view failedField_;
    std::string_view failure_;
};

BinanceMessageParser::BinanceMessageParser(BinanceMarket market, BinanceDecoder decoder)
    : json_(std::make_unique<Json>(market, decoder)) {}

BinanceMessageParser::~BinanceMessageParser() = default;

const BinanceMessage& BinanceMessageParser::parseStream(std::string_view frame) {
    return json_->parseStream(frame);
}

const BinanceSnapshotText& BinanceMessageParser::parseSnapshot(std::string_view body) {
    return json_->parseSnapshot(body);
}

bool BinanceMessageParser::Json::malformed(std::string_view field, std::string_view what) {
    if (failure_.empty()) {
        failedField_ = field;
        failure_ = what;
    }
    return false;
}

bool BinanceMessageParser::Json::malformed(std::string_view field, error_code error) {
    return malformed(field, describe(error));
}

bool BinanceMessageParser::Json::openDocument(std::string_view text, object& top) {
    failedField_ = {};
    failure_ = {};
    bids_.clear();
    asks_.clear();
    const simdjson::padded_string_view padded = padded_.load(text);
    simdjson::dom::element validated;
    error_code error = validator_.parse(padded.data(), padded.length(), false).get(validated);
    if (error) return malformed({}, simdjson::error_message(error));
    error = parser_.iterate(padded).get(document_);
    if (error) return malformed({}, simdjson::error_message(error));
    error = document_.get_object().get(top);
    if (error == simdjson::INCORRECT_TYPE) return malformed({}, "not a JSON object");
    if (error) return malformed({}, simdjson::error_message(error));
    return true;
}

const BinanceMessage& BinanceMessageParser::Json::parseStream(std::string_view frame) {
    if (decoder_ == BinanceDecoder::ScannerFirst) {
        message_ = BinanceMessage{};
        bids_.clear();
        asks_.clear();
        if (scanCompactDepthEvent(frame, market_, message_, bids_, asks_)) return message_;
    }
    // Declined (or not tried): the reference reads it from scratch, whatever the scanner left.
    message_ = BinanceMessage{};
    object top;
    if (openDocument(frame, top)) {
        value data;
        const error_code error = top.find_field_unordered("data").get(data);
        if (error == simdjson::NO_SUCH_FIELD) {
            parseEvent(top);  // a bare event (a /ws/<stream> connection)
        } else if (error) {
            malformed("data", error);
        } else {
            object event;
            if (const error_code inner = data.get_object().get(event)) {
                malformed("data", inner);
            } else {
                parseEvent(event);
            }
        }
    }
    if (!failure_.empty()) {
        message_.kind = BinanceMessageKind::Malformed;
        message_.problemField = failedField_;
        message_.problem = failure_;
    }
    return message_;
}

void BinanceMessageParser::Json::parseEvent(object& event) {
    std::string_view type;
    const error_code error = event.find_field_unordered("e").get_string().get(type);
    if (error == simdjson::NO_SUCH_FIELD) {
        parseUntyped(event);
    } else if (error) {
        malformed("e", error);
    } else if (type == "depthUpdate") {
        if (parseDepth(event)) message_.kind = BinanceMessageKind::Depth;
    } else if (type == "trade") {
        if (parseTrade(event, "t")) message_.kind = BinanceMessageKind::Trade;
    } else if (type == "aggTrade") {
        if (parseTrade(event, "a")) message_.kind = BinanceMessageKind::Trade;
    } else if (type == "serverShutdown") {
        // Its E (event time) changes nothing: the request is to reconnect now, whenever sent.
        message_.kind = BinanceMessageKind::ServerShutdown;
    } else {
        message_.kind = BinanceMessageKind::Ignored;  // bookTicker (USD-M), markPrice, ...
    }
}

void BinanceMessageParser::Json::parseUntyped(object& event) {
    // Spot bookTicker and {"result":null,"id":1} have no "e"; errors carry a code.
    std::string_view text;
    const error_code error = readVenueError(event, text);
    if (error == simdjson::NO_SUCH_FIELD) {
        message_.kind = BinanceMessageKind::Ignored;
    } else if (error) {
        malformed("code", error);
    } else {
        message_.kind = BinanceMessageKind::VenueError;
        message_.problem = text;
    }
}

bool BinanceMessageParser::Json::parseDepth(object& event) {
    BinanceDepthText& depth = message_.depth;
    if (auto e = event.find_field_unordered("E").get_uint64().get(depth.eventMs)) {
        return malformed("E", e);
    }
    if (market_ == BinanceMarket::UsdM) {
        if (auto e = event.find_field_unordered("T").get_uint64().get(depth.transactionMs)) {
            return malformed("T", e);
        }
    }
    if (auto e = event.find_field_unordered("s").get_string().get(message_.symbol)) {
        return malformed("s", e);
    }
    if (auto e = event.find_field_unordered("U").get_uint64().get(depth.ids.first)) {
        return malformed("U", e);
    }
    if (auto e = event.find_field_unordered("u").get_uint64().get(depth.ids.last)) {
        return malformed("u", e);
    }
    if (market_ == BinanceMarket::UsdM) {
        if (auto e = event.find_field_unordered("pu").get_int64().get(depth.ids.previous)) {
            return malformed("pu", e);
        }
    }
    if (!readLevels(event, "b", bids_) || !readLevels(event, "a", asks_)) return false;
    if (depth.ids.last < depth.ids.first) return malformed("u", "final update id below U");
    depth.bids = bids_;
    depth.asks = asks_;
    return true;
}

bool BinanceMessageParser::Json::parseTrade(object& event, const char* idField) {
    BinanceTradeText& trade = message_.trade;
    if (auto e = event.find_field_unordered("s").get_string().get(message_.symbol)) {
        return malformed("s", e);
    }
    if (auto e = event.find_field_unordered(idField).get_uint64().get(trade.id)) {
        return malformed(idField, e);
    }
    if (auto e = event.find_field_unordered("p").get_string().get(trade.price)) {
        return malformed("p", e);
    }
    if (auto e = event.find_field_unordered("q").get_string().get(trade.qty)) {
        return malformed("q", e);
    }
    if (auto e = event.find_field_unordered("T").get_uint64().get(trade.tradeMs)) {
        return malformed("T", e);
    }
    if (auto e = event.find_field_unordered("m").get_bool().get(trade.buyerIsMaker)) {
        return malformed("m", e);
    }
    return true;
}

bool BinanceMessageParser::Json::readLevels(object& object, const char* field,
                                            std::vector<BinanceLevelText>& out) {
    array levels;
    if (auto e = object.find_field_unordered(field).get_array().get(levels)) {
        return malformed(field, e);
    }
    for (auto entry : levels) {
        array pair;
        if (auto e = entry.get_array().get(pair)) return malformed(field, e);
        BinanceLevelText level;
        std::size_t index = 0;
        for (auto item : pair) {
            // Even an ignored element's error stops us: simdjson abandons a broken document.
            if (auto e = item.error()) return malformed(field, e);
            // Only [price, quantity] matter; 2017-era events appended an ignored third element.
            if (index < 2) {
                std::string_view text;
                if (auto e = item.get_string().get(text)) return malformed(field, e);
                (index == 0 ? level.price : level.qty) = text;
            }
            ++index;
        }
        if (index < 2) return malformed(field, "level without price and quantity");
        out.push_back(level);
    }
    return true;
}

const BinanceSnapshotText& BinanceMessageParser::Json::parseSnapshot(std::string_view body) {
    if (decoder_ == BinanceDecoder::ScannerFirst) {
        snapshot_ = BinanceSnapshotText{};
        bids_.clear();
        asks_.clear();
        if (scanCompactDepthSnapshot(body, market_, snapshot_, bids_, asks_)) return snapshot_;
    }
    snapshot_ = BinanceSnapshotText{};
    object top;
    if (openDocument(body, top) && parseSnapshotObject(top)) {
        snapshot_.kind = BinanceMessageKind::Depth;
        snapshot_.bids = bids_;
        snapshot_.asks = asks_;
    } else if (snapshot_.kind != BinanceMessageKind::VenueError) {
        snapshot_.kind = BinanceMessageKind::Malformed;
        snapshot_.problemField = failedField_;
        snapshot_.problem = failure_;
    }
    return snapshot_;
}

bool BinanceMessageParser::Json::parseSnapshotObject(object& top) {
    error_code error =
        top.find_field_unordered("lastUpdateId").get_uint64().get(snapshot_.lastUpdateId);
    if (error == simdjson::NO_SUCH_FIELD) {
        std::string_view text;
        const error_code venue = readVenueError(top, text);
        if (venue == simdjson::SUCCESS) {
            snapshot_.kind = BinanceMessageKind::VenueError;
            snapshot_.problem = text;
            return false;
        }
        return malformed("lastUpdateId", error);
    }
    if (error) return malformed("lastUpdateId", error);
    if (market_ == BinanceMarket::UsdM) {
        // USD-M adds E (message time) and T (transaction time); T is when the book was taken.
        for (const char* field : {"E", "T"}) {
            std::uint64_t ms = 0;
            error = top.find_field_unordered(field).get_uint64().get(ms);
            if (!error) {
                snapshot_.timeMs = ms;
            } else if (error != simdjson::NO_SUCH_FIELD) {
                return malformed(field, error);
            }
        }
    }
    return readLevels(top, "bids", bids_) && readLevels(top, "asks", asks_);
}

}  // namespace flowscope::venues
