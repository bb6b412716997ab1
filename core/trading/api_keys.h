#pragma once
/// Venue API keys, read from the environment (../shared/CLI.md: FLOWSCOPE_<VENUE>_API_KEY and
/// FLOWSCOPE_<VENUE>_API_SECRET). Held in SecretText, which prints and streams as "***", so a
/// key cannot reach a log, a recording or an error message by accident: only reveal() gives the
/// text, and only the signer and the request header need it.

#include <functional>
#include <iosfwd>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "venues/venue_id.h"

namespace flowscope::trading {

class SecretText {
  public:
    SecretText() = default;
    explicit SecretText(std::string text) : text_(std::move(text)) {}

    /// The real text: for signing and the API-key header only, never for output.
    const std::string& reveal() const { return text_; }
    bool empty() const { return text_.empty(); }
    /// Always "***".
    static constexpr const char* kMask = "***";

    friend std::ostream& operator<<(std::ostream& out, const SecretText& secret);

  private:
    std::string text_;
};

struct ApiCredentials {
    SecretText key;
    SecretText secret;
};

/// Looks up one environment variable; nullopt when unset.
using EnvironmentLookup = std::function<std::optional<std::string>(const std::string& name)>;

/// The process environment (getenv).
EnvironmentLookup processEnvironment();

/// The variable names tried for a venue, preferred first: FLOWSCOPE_BINANCE_SPOT_API_KEY then
/// FLOWSCOPE_BINANCE_API_KEY for binance-spot; `suffix` is "API_KEY" or "API_SECRET".
std::vector<std::string> keyVariableNames(venues::VenueId venue, std::string_view suffix);

/// True when `key` can go into a request header as it is: 1 to 256 printable ASCII characters
/// (0x21..0x7e). A key with a newline or another control character (a pasted line end) would
/// forge or break the request, so it is refused rather than sent or silently trimmed.
bool isSendableApiKey(std::string_view key);

/// Both key and secret, or nullopt with `error` naming the variables to set (never a value).
/// Key and secret come from the same stem, so a key is never paired with another venue's secret.
/// A key that is not isSendableApiKey() is refused, naming the variable (never the value).
std::optional<ApiCredentials> credentialsFromEnvironment(venues::VenueId venue,
                                                         const EnvironmentLookup& lookup,
                                                         std::string& error);

}  // namespace flowscope::trading
