#pragma once
/// A request's parameters as `name=value&name=value`, every name and value percent-encoded as
/// it is appended. Signed requests are built only from this type (BinanceRestGateway), so no
/// value, whoever supplies it, can add or override a parameter with '&' or '=': since
/// 2026-01-15 Binance verifies the signature over the percent-encoded payload (spot API
/// CHANGELOG, 2025-12-17: "percent-encode payloads before computing signatures", else -1022).

#include <string>
#include <string_view>

namespace flowscope::trading {

/// RFC 3986 percent-encoding of `text` as UTF-8 bytes: the unreserved characters
/// `A-Z a-z 0-9 - . _ ~` stay, every other byte becomes `%XX` (upper-case hex).
std::string percentEncode(std::string_view text);

/// Parameters appended in order, encoded on the way in; the text is what is signed and sent.
class QueryString {
  public:
    QueryString() = default;
    QueryString& add(std::string_view name, std::string_view value);
    QueryString& add(std::string_view name, long long value);
    const std::string& text() const { return text_; }
    bool empty() const { return text_.empty(); }

  private:
    std::string text_;
};

/// Binance's pattern for newClientOrderId / origClientOrderId: `^[.A-Z:/a-z0-9_-]{1,36}$`.
bool isBinanceClientOrderId(std::string_view id);

}  // namespace flowscope::trading
