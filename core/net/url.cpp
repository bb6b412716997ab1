#include "net/url.h"

#include <algorithm>
#include <cctype>
#include <charconv>

#include "io/text_excerpt.h"

namespace flowscope::net {

namespace {

constexpr std::uint16_t kDefaultTlsPort = 443;

std::string lowered(std::string_view text) {
    std::string out(text);
    std::transform(out.begin(), out.end(), out.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return out;
}

std::string_view trimmed(std::string_view text) {
    const auto isSpace = [](char c) { return std::isspace(static_cast<unsigned char>(c)) != 0; };
    while (!text.empty() && isSpace(text.front()))
        text.remove_prefix(1);
    while (!text.empty() && isSpace(text.back()))
        text.remove_suffix(1);
    return text;
}

std::optional<Url> fail(std::string* error, std::string message) {
    if (error) *error = std::move(message);
    return std::nullopt;
}

// Letters, digits, '-', '.', '_': what DNS names and IPv4 literals need. Anything else in a host is
// a typo we had better report than send to the resolver.
bool isHostNameChar(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '.' || c == '_';
}

bool isIpv6LiteralChar(char c) {
    return std::isxdigit(static_cast<unsigned char>(c)) != 0 || c == ':' || c == '.';
}

// The query and path characters RFC 3986 allows, plus '%' escapes; spaces and controls are not.
bool isTargetChar(char c) {
    const auto u = static_cast<unsigned char>(c);
    return u > 0x20 && u < 0x7f && c != '#';
}

}  // namespace

std::optional<Url> Url::parse(std::string_view text, std::string* error) {
    const std::string_view original = trimmed(text);
    std::string_view rest = original;
    const std::string quoted = quoteExcerpt(original, 256);

    const std::size_t schemeEnd = rest.find("://");
    if (schemeEnd == std::string_view::npos || schemeEnd == 0) {
        return fail(error,
                    "missing scheme in " + quoted + " (expected wss://host or https://host)");
    }
    Url url;
    url.scheme = lowered(rest.substr(0, schemeEnd));
    if (url.scheme == "ws" || url.scheme == "http") {
        return fail(error, "unsupported scheme '" + url.scheme +
                               "': Flowscope only connects over TLS (use " +
                               (url.scheme == "ws" ? "wss" : "https") + "://)");
    }
    if (url.scheme != "wss" && url.scheme != "https") {
        return fail(error, "unsupported scheme '" + url.scheme + "' (expected wss or https)");
    }
    rest.remove_prefix(schemeEnd + 3);

    const std::size_t authorityEnd = rest.find_first_of("/?#");
    std::string_view authority = rest.substr(0, authorityEnd);
    std::string_view target =
        authorityEnd == std::string_view::npos ? std::string_view{} : rest.substr(authorityEnd);
    if (authority.find('@') != std::string_view::npos) {
        return fail(error, "user name or password in " + quoted +
                               " is not supported (API keys go in the environment)");
    }

    std::string_view portText;
    if (!authority.empty() && authority.front() == '[') {
        const std::size_t close = authority.find(']');
        if (close == std::string_view::npos) return fail(error, "unclosed '[' in " + quoted);
        const std::string_view literal = authority.substr(1, close - 1);
        if (literal.empty() || !std::all_of(literal.begin(), literal.end(), isIpv6LiteralChar) ||
            literal.find(':') == std::string_view::npos) {
            return fail(error, "bad IPv6 address " + quoteExcerpt(literal) + " in " + quoted);
        }
        url.host = lowered(literal);
        const std::string_view after = authority.substr(close + 1);
        if (!after.empty()) {
            if (after.front() != ':') return fail(error, "unexpected text after ']' in " + quoted);
            portText = after.substr(1);
            if (portText.empty()) return fail(error, "empty port in " + quoted);
        }
    } else {
        const std::size_t colon = authority.find(':');
        if (colon != std::string_view::npos) {
            portText = authority.substr(colon + 1);
            authority = authority.substr(0, colon);
            if (portText.empty()) return fail(error, "empty port in " + quoted);
        }
        if (authority.empty()) return fail(error, "missing host in " + quoted);
        if (!std::all_of(authority.begin(), authority.end(), isHostNameChar)) {
            return fail(error, "bad host name " + quoteExcerpt(authority) + " in " + quoted);
        }
        url.host = lowered(authority);
    }

    if (!portText.empty()) {
        unsigned value = 0;
        const auto [end, ec] =
            std::from_chars(portText.data(), portText.data() + portText.size(), value);
        if (ec != std::errc{} || end != portText.data() + portText.size() || value == 0 ||
            value > 65535) {
            return fail(error, "bad port " + quoteExcerpt(portText) + " in " + quoted);
        }
        url.port = static_cast<std::uint16_t>(value);
    }

    // A fragment never goes to the server; drop it rather than refuse a pasted link.
    target = target.substr(0, target.find('#'));
    if (!std::all_of(target.begin(), target.end(), isTargetChar)) {
        return fail(error, "bad character in path of " + quoted + " (escape it with %XX)");
    }
    if (target.empty()) {
        url.target = "/";
    } else if (target.front() == '?') {
        url.target = "/";
        url.target.append(target);
    } else {
        url.target = std::string(target);
    }
    return url;
}

std::optional<Url> Url::join(std::string_view base, std::string_view pathAndQuery,
                             std::string* error) {
    auto url = parse(base, error);
    if (!url) return std::nullopt;
    if (!std::all_of(pathAndQuery.begin(), pathAndQuery.end(), isTargetChar)) {
        return fail(
            error, "bad character in path " + quoteExcerpt(pathAndQuery) + " (escape it with %XX)");
    }
    // The base's own path is a prefix (a proxy, or a test server routing several venues): keep
    // it, drop its query, and join with exactly one '/'.
    std::string prefix = url->target.substr(0, url->target.find('?'));
    while (!prefix.empty() && prefix.back() == '/')
        prefix.pop_back();
    url->target = std::move(prefix);
    if (pathAndQuery.empty() || pathAndQuery.front() != '/') url->target += '/';
    url->target.append(pathAndQuery);
    return url;
}

std::string Url::toString() const {
    std::string out = scheme + "://";
    if (host.find(':') == std::string::npos) {
        out += host;
    } else {
        out.append("[").append(host).append("]");
    }
    if (port != kDefaultTlsPort) {
        out += ':';
        out += std::to_string(port);
    }
    out += target;
    return out;
}

}  // namespace flowscope::net
