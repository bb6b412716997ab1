#pragma once
/// One price level as the venue's own text, for checksums that are defined over the strings the
/// venue sent (OKX) or over the digits of its fixed-precision numbers (Kraken).

#include <string_view>

namespace flowscope::venues {

struct TextLevel {
    std::string_view price;
    std::string_view size;
};

}  // namespace flowscope::venues
