#include "trading/api_keys.h"

#include <cstdlib>
#include <ostream>
#include <vector>

namespace flowscope::trading {

std::ostream& operator<<(std::ostream& out, const SecretText&) {
    return out << SecretText::kMask;
}

EnvironmentLookup processEnvironment() {
    return [](const std::string& name) -> std::optional<std::string> {
        const char* value = std::getenv(name.c_str());
        if (value == nullptr) return std::nullopt;
        return std::string(value);
    };
}

namespace {

std::vector<std::string> stems(venues::VenueId venue) {
    std::vector<std::string> out{"FLOWSCOPE_" + venues::keyEnvironmentStem(venue) + "_"};
    // CLI.md: BINANCE is accepted for binance-spot, as `--venue binance` is.
    if (venue == venues::VenueId::BinanceSpot) out.push_back("FLOWSCOPE_BINANCE_");
    return out;
}

}  // namespace

std::vector<std::string> keyVariableNames(venues::VenueId venue, std::string_view suffix) {
    std::vector<std::string> names;
    for (const std::string& stem : stems(venue))
        names.push_back(stem + std::string(suffix));
    return names;
}

bool isSendableApiKey(std::string_view key) {
    if (key.empty() || key.size() > 256) return false;
    for (const char ch : key) {
        const auto c = static_cast<unsigned char>(ch);
        if (c < 0x21 || c > 0x7e) return false;
    }
    return true;
}

std::optional<ApiCredentials> credentialsFromEnvironment(venues::VenueId venue,
                                                         const EnvironmentLookup& lookup,
                                                         std::string& error) {
    for (const std::string& stem : stems(venue)) {
        const auto key = lookup(stem + "API_KEY");
        const auto secret = lookup(stem + "API_SECRET");
        if (key && !key->empty() && secret && !secret->empty()) {
            if (!isSendableApiKey(*key)) {
                error = stem +
                        "API_KEY holds a control character (a newline?), a space or a "
                        "character outside printable ASCII: refused, nothing sent";
                return std::nullopt;
            }
            return ApiCredentials{SecretText(*key), SecretText(*secret)};
        }
        if ((key && !key->empty()) != (secret && !secret->empty())) {
            error = stem + "API_KEY and " + stem + "API_SECRET must both be set";
            return std::nullopt;
        }
    }
    const std::string first = stems(venue).front();
    error = std::string("no API key for ") + venues::venueName(venue) + ": set " + first +
            "API_KEY and " + first + "API_SECRET in the environment";
    return std::nullopt;
}

}  // namespace flowscope::trading
