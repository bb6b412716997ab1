#include "venues/bybit_frame.h"

#include "venues/json_fields.h"

namespace flowscope::venues::bybit {

namespace {

using simdjson::error_code;
using simdjson::ondemand::array;
using simdjson::ondemand::object;

using json::readOptional;
using json::readString;
FieldError fail(const char* field, error_code code) {
    return json::fieldError(field, code);
}

/// Reads [[price, qty], ...] under `key` of `data` as levels of `side`.
FieldError readLevels(object& data, const char* key, Side side, std::vector<RawLevel>& out) {
    array entries;
    if (const error_code e = data.find_field_unordered(key).get_array().get(entries)) {
        return fail(key, e);
    }
    for (auto entry : entries) {
        array pair;
        if (const error_code e = entry.get_array().get(pair)) return fail(key, e);
        TextLevel text;
        std::size_t count = 0;
        if (const error_code e = json::readLevelStrings(pair, text, count)) return fail(key, e);
        if (count != 2) return fail(key, simdjson::INCORRECT_TYPE);
        out.push_back(RawLevel{side, text.price, text.size});
    }
    return {};
}

FieldError parseOrderBook(object& root, Frame& frame) {
    if (FieldError e = readString(root, "type", frame.type)) return e;
    if (const error_code e = root.find_field_unordered("ts").get_int64().get(frame.eventMs)) {
        return fail("ts", e);
    }
    object data;
    if (const error_code e = root.find_field_unordered("data").get_object().get(data)) {
        return fail("data", e);
    }
    if (FieldError e = readLevels(data, "b", Side::Bid, frame.levels)) return e;
    if (FieldError e = readLevels(data, "a", Side::Ask, frame.levels)) return e;
    if (const error_code e = data.find_field_unordered("u").get_uint64().get(frame.updateId)) {
        return fail("u", e);
    }
    // cts is the matching engine's time (the one trades' T is stamped with); older pushes lack it.
    return readOptional(root, "cts", frame.eventMs);
}

FieldError parseTrades(object& root, Frame& frame) {
    array entries;
    if (const error_code e = root.find_field_unordered("data").get_array().get(entries)) {
        return fail("data", e);
    }
    for (auto entry : entries) {
        object fields;
        if (const error_code e = entry.get_object().get(fields)) return fail("data", e);
        RawTrade& trade = frame.trades.emplace_back();
        // A field error leaves this trade marked bad; the loop moves on to the next one.
        if (const error_code e = fields.find_field_unordered("T").get_int64().get(trade.timeMs)) {
            trade.error = fail("T", e);
        } else if (FieldError e = readString(fields, "S", trade.takerSide)) {
            trade.error = e;
        } else if (FieldError e = readString(fields, "v", trade.qty)) {
            trade.error = e;
        } else if (FieldError e = readString(fields, "p", trade.price)) {
            trade.error = e;
        } else if (FieldError e = readString(fields, "i", trade.id)) {
            trade.error = e;
        }
    }
    return {};
}

FieldError parseOpReply(object& root, Frame& frame) {
    auto op = root.find_field_unordered("op");
    if (op.error() == simdjson::NO_SUCH_FIELD) {
        frame.kind = FrameKind::Unknown;
        return {};
    }
    if (const error_code e = op.get_string().get(frame.op)) return fail("op", e);
    frame.kind = FrameKind::OpReply;
    if (FieldError e = readOptional(root, "success", frame.success)) return e;
    return readOptional(root, "ret_msg", frame.retMsg);
}

}  // namespace

struct FrameParser::Impl {
    json::FrameDocument document;
};

FrameParser::FrameParser() : impl_(std::make_unique<Impl>()) {}
FrameParser::~FrameParser() = default;

FieldError FrameParser::parse(std::string_view text, std::string_view orderBookTopic,
                              std::string_view tradeTopic, Frame& frame) {
    frame.kind = FrameKind::Malformed;
    frame.topic = {};
    frame.type = {};
    frame.eventMs = 0;
    frame.levels.clear();
    frame.updateId = 0;
    frame.trades.clear();
    frame.op = {};
    frame.success = true;
    frame.retMsg = {};

    object root;
    if (const error_code e = impl_->document.readObject(text, root)) return fail("JSON", e);

    auto topicField = root.find_field_unordered("topic");
    if (topicField.error() == simdjson::NO_SUCH_FIELD) return parseOpReply(root, frame);
    if (const error_code e = topicField.get_string().get(frame.topic)) return fail("topic", e);
    frame.kind = FrameKind::Topic;
    if (frame.topic == orderBookTopic) return parseOrderBook(root, frame);
    if (frame.topic == tradeTopic) return parseTrades(root, frame);
    return {};
}

}  // namespace flowscope::venues::bybit
