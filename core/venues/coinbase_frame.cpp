#include "venues/coinbase_frame.h"

#include "venues/json_fields.h"

namespace flowscope::venues::coinbase {

namespace {

using simdjson::error_code;
using simdjson::ondemand::array;
using simdjson::ondemand::object;

using json::readOptional;
using json::readString;
FieldError fail(const char* field, error_code code) {
    return json::fieldError(field, code);
}

Channel channelNamed(std::string_view name) {
    if (name == "l2_data") return Channel::L2Data;
    if (name == "market_trades") return Channel::MarketTrades;
    if (name == "heartbeats") return Channel::Heartbeats;
    if (name == "subscriptions") return Channel::Subscriptions;
    return Channel::Other;
}

FieldError parseBookEvents(object& root, Frame& frame) {
    array events;
    if (const error_code e = root.find_field_unordered("events").get_array().get(events)) {
        return fail("events", e);
    }
    for (auto entry : events) {
        object event;
        if (const error_code e = entry.get_object().get(event)) return fail("events", e);
        BookEvent& book = frame.bookEvents.emplace_back();
        if (FieldError e = readString(event, "type", book.type)) return e;
        if (FieldError e = readString(event, "product_id", book.productId)) return e;
        array updates;
        if (const error_code e = event.find_field_unordered("updates").get_array().get(updates)) {
            return fail("updates", e);
        }
        book.firstLevel = frame.levels.size();
        for (auto item : updates) {
            object update;
            if (const error_code e = item.get_object().get(update)) return fail("updates", e);
            RawLevel& level = frame.levels.emplace_back();
            if (FieldError e = readString(update, "side", level.side)) return e;
            if (FieldError e = readString(update, "price_level", level.price)) return e;
            if (FieldError e = readString(update, "new_quantity", level.qty)) return e;
        }
        book.endLevel = frame.levels.size();
    }
    return {};
}

FieldError parseTradeEvents(object& root, Frame& frame) {
    array events;
    if (const error_code e = root.find_field_unordered("events").get_array().get(events)) {
        return fail("events", e);
    }
    for (auto entry : events) {
        object event;
        if (const error_code e = entry.get_object().get(event)) return fail("events", e);
        TradeEvent& tradeEvent = frame.tradeEvents.emplace_back();
        if (FieldError e = readString(event, "type", tradeEvent.type)) return e;
        array trades;
        if (const error_code e = event.find_field_unordered("trades").get_array().get(trades)) {
            return fail("trades", e);
        }
        tradeEvent.firstTrade = frame.trades.size();
        for (auto item : trades) {
            object fields;
            if (const error_code e = item.get_object().get(fields)) return fail("trades", e);
            RawTrade& trade = frame.trades.emplace_back();
            // A field error leaves this trade marked bad; the loop moves on to the next one.
            struct Wanted {
                const char* name;
                std::string_view* out;
            };
            const Wanted wanted[] = {{"trade_id", &trade.tradeId}, {"product_id", &trade.productId},
                                     {"price", &trade.price},      {"size", &trade.size},
                                     {"side", &trade.side},        {"time", &trade.time}};
            for (const Wanted& w : wanted) {
                if ((trade.error = readString(fields, w.name, *w.out))) break;
            }
        }
        tradeEvent.endTrade = frame.trades.size();
    }
    return {};
}

}  // namespace

struct FrameParser::Impl {
    json::FrameDocument document;
};

FrameParser::FrameParser() : impl_(std::make_unique<Impl>()) {}
FrameParser::~FrameParser() = default;

FieldError FrameParser::parse(std::string_view text, Frame& frame) {
    frame.kind = FrameKind::Malformed;
    frame.channel = Channel::Other;
    frame.hasSequence = false;
    frame.sequence = 0;
    frame.timestamp = {};
    frame.bookEvents.clear();
    frame.levels.clear();
    frame.tradeEvents.clear();
    frame.trades.clear();
    frame.errorMessage = {};

    object root;
    if (const error_code e = impl_->document.readObject(text, root)) return fail("JSON", e);

    auto channelField = root.find_field_unordered("channel");
    if (channelField.error() == simdjson::NO_SUCH_FIELD) {
        std::string_view type;
        auto typeField = root.find_field_unordered("type");
        if (typeField.error() == simdjson::NO_SUCH_FIELD) {
            frame.kind = FrameKind::Unknown;
            return {};
        }
        if (const error_code e = typeField.get_string().get(type)) return fail("type", e);
        if (type != "error") {
            frame.kind = FrameKind::Unknown;
            return {};
        }
        frame.kind = FrameKind::Error;
        return readOptional(root, "message", frame.errorMessage);
    }
    std::string_view channel;
    if (const error_code e = channelField.get_string().get(channel)) return fail("channel", e);
    frame.kind = FrameKind::Channel;
    frame.channel = channelNamed(channel);

    if (const error_code e =
            root.find_field_unordered("sequence_num").get_uint64().get(frame.sequence)) {
        return fail("sequence_num", e);
    }
    frame.hasSequence = true;
    if (FieldError e = readString(root, "timestamp", frame.timestamp)) return e;
    if (frame.channel == Channel::L2Data) return parseBookEvents(root, frame);
    if (frame.channel == Channel::MarketTrades) return parseTradeEvents(root, frame);
    return {};
}

std::string subscriptionFrame(std::string_view channel, std::string_view productId,
                              std::string_view jwt) {
    std::string frame = R"({"type":"subscribe","product_ids":[")";
    frame += productId;
    frame += R"("],"channel":")";
    frame += channel;
    frame += '"';
    if (!jwt.empty()) {
        frame += R"(,"jwt":")";
        frame += jwt;
        frame += '"';
    }
    frame += '}';
    return frame;
}

}  // namespace flowscope::venues::coinbase
