#include "venues/okx_messages.h"

#include "venues/json_fields.h"

namespace flowscope::venues {

namespace {

template <typename Int>
bool readInteger(simdjson::ondemand::value value, std::optional<Int>& out) {
    std::int64_t v = 0;
    if (value.get_int64().get(v)) return false;
    if constexpr (sizeof(Int) < sizeof(std::int64_t)) {
        if (v < INT32_MIN || v > INT32_MAX) return false;
    }
    out = static_cast<Int>(v);
    return true;
}

}  // namespace

struct OkxMessageParser::Json {
    using Object = simdjson::ondemand::object;
    using Value = simdjson::ondemand::value;

    explicit Json(OkxMessageParser& parserOwner) : owner(parserOwner) {}
    const OkxMessage& parse(std::string_view text);
    bool parseLevels(Value levels, std::vector<TextLevel>& out);
    bool parseBookData(Value data);
    bool parseTradeData(Value data);
    bool fail(std::string_view problem);
    void parseEvent(Object root);
    bool parseArg(Object root);

    OkxMessageParser& owner;
    json::FrameDocument document;
};

OkxMessageParser::OkxMessageParser() : json_(std::make_unique<Json>(*this)) {}
OkxMessageParser::~OkxMessageParser() = default;

bool OkxMessageParser::Json::fail(std::string_view problem) {
    owner.message_.kind = OkxMessageKind::Malformed;
    owner.message_.problem = problem;
    return false;
}

const OkxMessage& OkxMessageParser::parse(std::string_view text) {
    return json_->parse(text);
}

const OkxMessage& OkxMessageParser::Json::parse(std::string_view text) {
    owner.message_ = OkxMessage{};
    if (text == "pong") {
        owner.message_.kind = OkxMessageKind::Pong;
        return owner.message_;
    }
    Object root;
    if (document.readObject(text, root)) {
        fail("not a JSON object");
        return owner.message_;
    }
    Value value;
    const json::Field eventField = json::findOptional(root, "event", value);
    if (eventField == json::Field::Broken) {
        fail("malformed JSON");
        return owner.message_;
    }
    if (eventField == json::Field::Present) {
        if (value.get_string().get(owner.message_.event)) {
            fail("'event' is not a string");
            return owner.message_;
        }
        parseEvent(root);
        return owner.message_;
    }
    if (!parseArg(root)) return owner.message_;
    const bool isBook = owner.message_.channel == "books";
    if (!isBook && owner.message_.channel != "trades")
        return owner.message_;  // tickers, ...: Unknown

    if (isBook) {
        std::string_view action;
        if (root.find_field_unordered("action").get(value) || value.get_string().get(action)) {
            fail("book message without a string 'action'");
            return owner.message_;
        }
        if (action != "snapshot" && action != "update") {
            fail("book 'action' is neither \"snapshot\" nor \"update\"");
            return owner.message_;
        }
        owner.message_.snapshot = action == "snapshot";
    }
    simdjson::ondemand::array data;
    if (root.find_field_unordered("data").get(value) || value.get_array().get(data)) {
        fail("book/trade message without a 'data' array");
        return owner.message_;
    }
    owner.message_.kind = isBook ? OkxMessageKind::Book : OkxMessageKind::Trade;
    for (auto element : data) {
        if (element.get(value)) {
            fail("malformed 'data' array");
            return owner.message_;
        }
        if (!(isBook ? parseBookData(value) : parseTradeData(value))) return owner.message_;
    }
    return owner.message_;
}

void OkxMessageParser::Json::parseEvent(Object root) {
    owner.message_.kind = OkxMessageKind::Event;
    // code and msg only describe errors and notices; their absence is normal.
    if (json::optionalText(root, "code", owner.message_.code) ||
        json::optionalText(root, "msg", owner.message_.msg)) {
        fail("malformed event");
    }
}

bool OkxMessageParser::Json::parseArg(Object root) {
    Value value;
    Object arg;
    const auto error = root.find_field_unordered("arg").get(value);
    if (error == simdjson::NO_SUCH_FIELD) return true;  // nothing we subscribe to: Unknown
    if (error || value.get_object().get(arg)) return fail("'arg' is not an object");
    if (arg.find_field_unordered("channel").get(value) ||
        value.get_string().get(owner.message_.channel))
        return fail("'arg' without a string 'channel'");
    const json::Field instId = json::findOptional(arg, "instId", value);
    if (instId == json::Field::Broken ||
        (instId == json::Field::Present && value.get_string().get(owner.message_.instId)))
        return fail("'arg.instId' is not a string");
    return true;
}

bool OkxMessageParser::Json::parseLevels(Value levels, std::vector<TextLevel>& out) {
    simdjson::ondemand::array array;
    if (levels.get_array().get(array)) return fail("book 'bids'/'asks' is not an array");
    for (auto element : array) {
        simdjson::ondemand::array level;
        if (element.get_array().get(level)) return fail("book level is not an array");
        // [px, sz, deprecated "0", number of orders]: only the first two matter here.
        TextLevel text;
        std::size_t entries = 0;
        if (json::readLevelStrings(level, text, entries))
            return fail("book level px/sz is not a string");
        if (entries < 2) return fail("book level with fewer than 2 fields");
        out.push_back(text);
    }
    return true;
}

bool OkxMessageParser::Json::parseBookData(Value data) {
    Object object;
    if (data.get_object().get(object)) return fail("book 'data' entry is not an object");
    OkxBookData& book = json::nextSlot(owner.books_, owner.message_.bookCount);
    book.bids.clear();
    book.asks.clear();
    book.checksum.reset();
    book.seqId.reset();
    book.prevSeqId.reset();
    book.ts = {};
    bool haveBids = false, haveAsks = false;
    for (auto field : object) {
        std::string_view key;
        Value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            return fail("malformed book 'data' entry");
        if (key == "bids") {
            if (!parseLevels(value, book.bids)) return false;
            haveBids = true;
        } else if (key == "asks") {
            if (!parseLevels(value, book.asks)) return false;
            haveAsks = true;
        } else if (key == "checksum") {
            if (!readInteger(value, book.checksum))
                return fail("book 'checksum' is not a 32-bit integer");
        } else if (key == "seqId") {
            if (!readInteger(value, book.seqId)) return fail("book 'seqId' is not an integer");
        } else if (key == "prevSeqId") {
            if (!readInteger(value, book.prevSeqId))
                return fail("book 'prevSeqId' is not an integer");
        } else if (key == "ts") {
            if (value.get_string().get(book.ts)) return fail("book 'ts' is not a string");
        }
    }
    if (!haveBids || !haveAsks) return fail("book 'data' entry without 'bids' or 'asks'");
    if (book.ts.empty()) return fail("book 'data' entry without 'ts'");
    return true;
}

bool OkxMessageParser::Json::parseTradeData(Value data) {
    Object object;
    if (data.get_object().get(object)) return fail("trade 'data' entry is not an object");
    OkxTradeData& trade = json::nextSlot(owner.trades_, owner.message_.tradeCount);
    trade = OkxTradeData{};
    for (auto field : object) {
        std::string_view key;
        Value value;
        if (field.unescaped_key().get(key) || field.value().get(value))
            return fail("malformed trade 'data' entry");
        std::string_view* target = key == "instId"    ? &trade.instId
                                   : key == "tradeId" ? &trade.tradeId
                                   : key == "px"      ? &trade.px
                                   : key == "sz"      ? &trade.sz
                                   : key == "side"    ? &trade.side
                                   : key == "ts"      ? &trade.ts
                                                      : nullptr;
        if (target && value.get_string().get(*target))
            return fail("trade instId/tradeId/px/sz/side/ts is not a string");
    }
    if (trade.instId.empty() || trade.tradeId.empty() || trade.px.empty() || trade.sz.empty() ||
        trade.side.empty() || trade.ts.empty())
        return fail("trade 'data' entry missing instId, tradeId, px, sz, side or ts");
    return true;
}

}  // namespace flowscope::venues
