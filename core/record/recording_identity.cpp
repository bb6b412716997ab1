#include "record/recording_identity.h"

#include <array>
#include <string_view>

#include "record/recording_file.h"

namespace flowscope::record {

namespace {

/// Binance "s":"BTCUSDT", OKX "instId", Kraken/Bybit "symbol", Coinbase "product_id".
std::string symbolNamedIn(std::string_view payload) {
    constexpr std::array<std::string_view, 4> kKeys{"\"s\":\"", "\"instId\":\"", "\"symbol\":\"",
                                                    "\"product_id\":\""};
    for (const std::string_view key : kKeys) {
        const std::size_t at = payload.find(key);
        if (at == std::string_view::npos) continue;
        const std::size_t begin = at + key.size();
        const std::size_t end = payload.find('"', begin);
        if (end != std::string_view::npos && end > begin) {
            return std::string(payload.substr(begin, end - begin));
        }
    }
    return {};
}

constexpr int kMessagesToSearch = 200;

}  // namespace

RecordingIdentity identifyRecording(const std::string& path) {
    auto source = openRecording(path);
    RecordingIdentity identity{source->header().venue, source->header().symbol};
    if (!identity.symbol.empty()) return identity;
    Record r;
    for (int i = 0; i < kMessagesToSearch && source->next(r); ++i) {
        if (r.kind != RecordKind::WsMessage) continue;
        identity.symbol = symbolNamedIn(r.payload);
        if (!identity.symbol.empty()) break;
    }
    return identity;
}

}  // namespace flowscope::record
