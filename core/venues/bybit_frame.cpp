#include "venues/bybit_frame.h"

#include <simdjson.h>

#include "venues/padded_frame.h"

namespace flowscope::venues::bybit {

namespace {

using simdjson::error_code;
using simdjson::ondemand::array;
using simdjson::ondemand::object;

/// The error as the header describes it, without simdjson's types.
FieldError fail(const char* field, error_code code) {
    FieldProblem problem = FieldProblem::Malformed;
    if (code == simdjson::NO_SUCH_FIELD) problem = FieldProblem::Missing;
    if (code == simdjson::INCORRECT_TYPE) problem = FieldProblem::WrongType;
    return {field, problem, simdjson::error_message(code)};
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
        RawLevel level{side, {}, {}};
        int count = 0;
        for (auto item : pair) {
            std::string_view text;
            if (const error_code e = item.get_string().get(text)) return fail(key, e);
            if (count == 0) level.price = text;
            if (count == 1) level.qty = text;
            ++count;
        }
        if (count != 2) return fail(key, simdjson::INCORRECT_TYPE);
        out.push_back(level);
    }
    return {};
}

FieldError parseOrderBook(object& root, Frame& frame) {
    if (const error_code e = root.find_field_unordered("type").get_string().get(frame.type)) {
        return fail("type", e);
    }
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
    auto cts = root.find_field_unordered("cts");
    if (cts.error() != simdjson::NO_SUCH_FIELD) {
        std::int64_t ctsMs = 0;
        if (const error_code e = cts.get_int64().get(ctsMs)) return fail("cts", e);
        frame.eventMs = ctsMs;
    }
    return {};
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
        } else if (const error_code e =
                       fields.find_field_unordered("S").get_string().get(trade.takerSide)) {
            trade.error = fail("S", e);
        } else if (const error_code e =
                       fields.find_field_unordered("v").get_string().get(trade.qty)) {
            trade.error = fail("v", e);
        } else if (const error_code e =
                       fields.find_field_unordered("p").get_string().get(trade.price)) {
            trade.error = fail("p", e);
        } else if (const error_code e =
                       fields.find_field_unordered("i").get_string().get(trade.id)) {
            trade.error = fail("i", e);
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
    auto success = root.find_field_unordered("success");
    if (success.error() != simdjson::NO_SUCH_FIELD) {
        if (const error_code e = success.get_bool().get(frame.success)) return fail("success", e);
    }
    auto retMsg = root.find_field_unordered("ret_msg");
    if (retMsg.error() != simdjson::NO_SUCH_FIELD) {
        if (const error_code e = retMsg.get_string().get(frame.retMsg)) return fail("ret_msg", e);
    }
    return {};
}

}  // namespace

struct FrameParser::Impl {
    PaddedFrame padded;
    simdjson::ondemand::parser parser;
};

FrameParser::FrameParser() : impl_(std::make_unique<Impl>()) {}
FrameParser::~FrameParser() = default;

std::string describe(const FieldError& error) {
    const std::string field(error.field ? error.field : "?");
    if (field == "JSON") return "malformed JSON (" + std::string(error.detail) + ")";
    switch (error.problem) {
        case FieldProblem::Missing:
            return "missing field '" + field + "'";
        case FieldProblem::WrongType:
            return "field '" + field + "' has the wrong type";
        case FieldProblem::Malformed:
            break;
    }
    return "field '" + field + "': " + error.detail;
}

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

    simdjson::ondemand::document doc;
    if (const error_code e = impl_->parser.iterate(impl_->padded.load(text)).get(doc))
        return fail("JSON", e);
    object root;
    if (const error_code e = doc.get_object().get(root)) return fail("JSON", e);

    auto topicField = root.find_field_unordered("topic");
    if (topicField.error() == simdjson::NO_SUCH_FIELD) return parseOpReply(root, frame);
    if (const error_code e = topicField.get_string().get(frame.topic)) return fail("topic", e);
    frame.kind = FrameKind::Topic;
    if (frame.topic == orderBookTopic) return parseOrderBook(root, frame);
    if (frame.topic == tradeTopic) return parseTrades(root, frame);
    return {};
}

}  // namespace flowscope::venues::bybit
