// libFuzzer target for the user-typed settings values the engine reads: the size presets list
// (core/book/size_list.h) and the exact size and price conversions every size or price setting
// goes through (book/instrument.h), on a coarse and a fine instrument.
//
// Checks: every non-blank comma-separated part is either a size or refused; every size is
// positive and prints back to text that reads to the same lots; any price or size that reads
// prints back to the same value.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "book/size_list.h"

using namespace flowscope;

namespace {

[[noreturn]] void fail(const char* what) {
    __builtin_trap();
    (void)what;
}

void check(const Instrument& instrument, std::string_view text) {
    const SizeList list = parseSizeList(text, instrument);
    std::size_t parts = 0;
    std::size_t start = 0;
    while (start <= text.size()) {
        std::size_t end = text.find(',', start);
        if (end == std::string_view::npos) end = text.size();
        if (text.substr(start, end - start).find_first_not_of(" \t\r\n") != std::string_view::npos)
            ++parts;
        start = end + 1;
    }
    if (list.sizes.size() + list.refused.size() != parts) fail("a part was lost");
    for (const Lots lots : list.sizes) {
        if (lots <= 0) fail("a size that is not positive");
        if (instrument.parseSize(instrument.formatSize(lots)) != lots) fail("size round trip");
    }
    if (const auto lots = instrument.parseSize(text))
        if (instrument.parseSize(instrument.formatSize(*lots)) != *lots) fail("size round trip");
    if (const auto ticks = instrument.parsePrice(text))
        if (instrument.parsePrice(instrument.formatPrice(*ticks)) != *ticks)
            fail("price round trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const Instrument coarse("BTC-USD", *DecimalStep::parse("0.5"),
                                   *DecimalStep::parse("0.001"));
    static const Instrument fine("BTCUSDT", *DecimalStep::parse("0.01"),
                                 *DecimalStep::parse("0.00000001"));
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    check(coarse, text);
    check(fine, text);
    return 0;
}
