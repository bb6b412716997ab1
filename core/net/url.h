#pragma once
/// wss:// and https:// addresses as users and venues write them.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace flowscope::net {

struct Url {
    std::string scheme;  ///< "wss" or "https" (plain "ws"/"http" are refused: TLS only)
    std::string host;
    std::uint16_t port = 443;
    std::string target = "/";  ///< path and query

    /// Parses "wss://host[:port][/path][?query]". nullopt with `error` set ("unsupported scheme
    /// 'http': Flowscope only connects over TLS", "bad port '99999'") otherwise.
    static std::optional<Url> parse(std::string_view text, std::string* error = nullptr);
    /// Base URL (scheme://host[:port][/prefix]) with `pathAndQuery` appended after the base's own
    /// path: "wss://h/x/" + "/public/stream?streams=a" is "wss://h/x/public/stream?streams=a".
    /// A query on the base is dropped.
    static std::optional<Url> join(std::string_view base, std::string_view pathAndQuery,
                                   std::string* error = nullptr);
    std::string toString() const;
};

}  // namespace flowscope::net
