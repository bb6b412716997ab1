#include "venues/kraken_messages.h"

#include "venues/json_fields.h"

namespace flowscope::venues {

using json::numberText;

struct KrakenMessageParser::Json {
    using Object = simdjson::ondemand::object;
    using Value = simdjson::ondemand::value;

    explicit Json(KrakenMessageParser& parserOwner) : owner(parserOwner) {}
    const KrakenMessage& parse(std::string_view text);
    bool parseLevels(Value levels, std::vector<TextLevel>& out);
    bool parseBookData(Value data);
    bool parseTradeData(Value data);
    bool fail(std::string_view problem);
    void parseMethodResponse(Object root);

    KrakenMessageParser& owner;
    json::FrameDocument document;
};

KrakenMessageParser::KrakenMessageParser() : json_(std::make_unique<Json>(*this)) {}
KrakenMessageParser::~KrakenMessageParser() = default;

bool KrakenMessageParser::Json::fail(std::string_view problem) {
    owner.message_.kind = KrakenMessageKind::Malformed;
    owner.message_.problem = problem;
    return false;
}

const KrakenMessage& KrakenMessageParser::parse(std::string_view text) {
    return json_->parse(text);
}

const KrakenMessage& KrakenMessageParser::Json::parse(std::string_view text) {
    owner.message_ = KrakenMessage{};
    Object root;
    if (document.readObject(text, root)) {
        fail("not a JSON object");
        return owner.message_;
    }
    Value value;
    const auto channelError = root.find_field_unordered("channel").get(value);
    if (channelError == simdjson::NO_SUCH_FIELD) {
        const json::Field method = json::findOptional(root, "method", value);
        if (method == json::Field::Broken) {
            fail("malformed JSON");
        } else if (method == json::Field::Present) {
            parseMethodResponse(root);
        }
        // Anything else ({"error": ...} from an older gateway, ...) is not ours to interpret.
        return owner.message_;
    }
    std::string_view channel;
    if (channelError || value.get_string().get(channel)) {
        fail("'channel' is not a string");
        return owner.message_;
    }
    if (channel == "heartbeat") {
        owner.message_.kind = KrakenMessageKind::Heartbeat;
        return owner.message_;
    }
    if (channel == "status") {
        owner.message_.kind = KrakenMessageKind::Status;
        return owner.message_;
    }
    const bool isBook = channel == "book";
    if (!isBook && channel != "trade") return owner.message_;  // ticker, ohlc, ...: Unknown

    std::string_view type;
    if (root.find_field_unordered("type").get(value) || value.get_string().get(type)) {
        fail("book/trade message without a string 'type'");
        return owner.message_;
    }
    if (type != "snapshot" && type != "update") {
        fail("book/trade 'type' is neither \"snapshot\" nor \"update\"");
        return owner.message_;
    }
    owner.message_.snapshot = type == "snapshot";
    simdjson::ondemand::array data;
    if (root.find_field_unordered("data").get(value) || value.get_array().get(data)) {
        fail("book/trade message without a 'data' array");
        return owner.message_;
    }
    owner.message_.kind = isBook ? KrakenMessageKind::Book : KrakenMessageKind::Trade;
    for (auto element : data) {
        if (element.get(value)) {
            fail("malformed 'data' array");
            return owner.message_;
        }
        if (!(isBook ? parseBookData(value) : parseTradeData(value))) return owner.message_;
    }
    return owner.message_;
}

bool KrakenMessageParser::Json::parseLevels(Value levels, std::vector<TextLevel>& out) {
    simdjson::ondemand::array array;
    if (levels.get_array().get(array)) return fail("book 'bids'/'asks' is not an array");
    for (auto element : array) {
        Object level;
        if (element.get_object().get(level)) return fail("book level is not an object");
        TextLevel text;
        bool havePrice = false, haveQty = false;
        for (auto field : level) {
            std::string_view key;
            Value value;
            if (field.unescaped_key().get(key) || field.value().get(value))
                return fail("malformed book level");
            if (key == "price") {
                text.price = numberText(value, havePrice);
                if (!havePrice) return fail("book level 'price' is not a number");
            } else if (key == "qty") {
                text.size = numberText(value, haveQty);
                if (!haveQty) return fail("book level 'qty' is not a number");
            }
        }
        if (!havePrice || !haveQty) return fail("book level without 'price' or 'qty'");
        out.push_back(text);
    }
    return true;
}

bool KrakenMessageParser::Json::parseBookData(Value data) {
    Object object;
    if (data.get_object().get(object)) return fail("book 'data' entry is not an object");
    KrakenBookData& book = json::nextSlot(owner.books_, owner.message_.bookCount);
    book.symbol = {};
    book.bids.clear();
    book.asks.clear();
    book.checksum.reset();
    book.timestamp = {};
    bool haveBids = false, haveAsks = false;
    for (auto field : object) {
        std::string_view key;
        Value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            return fail("malformed book 'data' entry");
        if (key == "symbol") {
            if (value.get_string().get(book.symbol)) return fail("book 'symbol' is not a string");
        } else if (key == "bids") {
            if (!parseLevels(value, book.bids)) return false;
            haveBids = true;
        } else if (key == "asks") {
            if (!parseLevels(value, book.asks)) return false;
            haveAsks = true;
        } else if (key == "checksum") {
            std::uint64_t checksum = 0;
            if (value.get_uint64().get(checksum) || checksum > UINT32_MAX)
                return fail("book 'checksum' is not an unsigned 32-bit integer");
            book.checksum = static_cast<std::uint32_t>(checksum);
        } else if (key == "timestamp") {
            if (value.get_string().get(book.timestamp))
                return fail("book 'timestamp' is not a string");
        }
    }
    if (book.symbol.empty()) return fail("book 'data' entry without 'symbol'");
    if (!haveBids || !haveAsks) return fail("book 'data' entry without 'bids' or 'asks'");
    return true;
}

bool KrakenMessageParser::Json::parseTradeData(Value data) {
    Object object;
    if (data.get_object().get(object)) return fail("trade 'data' entry is not an object");
    KrakenTradeData& trade = json::nextSlot(owner.trades_, owner.message_.tradeCount);
    trade = KrakenTradeData{};
    bool havePrice = false, haveQty = false, haveId = false;
    for (auto field : object) {
        std::string_view key;
        Value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            return fail("malformed trade 'data' entry");
        if (key == "symbol") {
            if (value.get_string().get(trade.symbol)) return fail("trade 'symbol' is not a string");
        } else if (key == "side") {
            if (value.get_string().get(trade.side)) return fail("trade 'side' is not a string");
        } else if (key == "price") {
            trade.price = numberText(value, havePrice);
            if (!havePrice) return fail("trade 'price' is not a number");
        } else if (key == "qty") {
            trade.qty = numberText(value, haveQty);
            if (!haveQty) return fail("trade 'qty' is not a number");
        } else if (key == "trade_id") {
            if (value.get_uint64().get(trade.tradeId))
                return fail("trade 'trade_id' is not an unsigned integer");
            haveId = true;
        } else if (key == "timestamp") {
            if (value.get_string().get(trade.timestamp))
                return fail("trade 'timestamp' is not a string");
        }
    }
    if (trade.symbol.empty() || trade.side.empty() || !havePrice || !haveQty || !haveId ||
        trade.timestamp.empty())
        return fail("trade 'data' entry missing symbol, side, price, qty, trade_id or timestamp");
    return true;
}

void KrakenMessageParser::Json::parseMethodResponse(Object root) {
    owner.message_.kind = KrakenMessageKind::MethodResponse;
    Value value;
    if (root.find_field_unordered("method").get(value) ||
        value.get_string().get(owner.message_.method)) {
        fail("'method' is not a string");
        return;
    }
    bool success = true;
    const json::Field successField = json::findOptional(root, "success", value);
    if (successField == json::Field::Broken ||
        (successField == json::Field::Present && value.get_bool().get(success))) {
        fail("'success' is not a boolean");
        return;
    }
    owner.message_.success = success;
    Object result;
    const json::Field resultField = json::findOptional(root, "result", value);
    if (resultField == json::Field::Broken) {
        fail("malformed 'result'");
        return;
    }
    if (resultField == json::Field::Present) {
        // A result that is not an object, or has no channel, names nothing; a broken one stops.
        const simdjson::error_code asObject = value.get_object().get(result);
        if (asObject && asObject != simdjson::INCORRECT_TYPE) {
            fail("malformed 'result'");
            return;
        }
        if (!asObject) {
            const json::Field channel = json::findOptional(result, "channel", value);
            if (channel == json::Field::Broken) {
                fail("malformed 'result'");
                return;
            }
            if (channel == json::Field::Present &&
                value.get_string().get(owner.message_.channel)) {
                owner.message_.channel = {};
            }
        }
    }
    if (json::optionalText(root, "error", owner.message_.error)) fail("malformed 'error'");
}

}  // namespace flowscope::venues
