// libFuzzer target for the LOBSTER reader and what consumes its rows (the OFI table and the
// imbalance engine). The input is the message file, a 0x00 byte, then the book file. Beyond "no
// crash, no sanitizer report" (UBSan traps on any signed overflow in the sums), every row read
// must respect the documented bounds.
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "analysis/ofi_table.h"
#include "fuzz_file_input.h"
#include "lobster/lobster_reader.h"
#include "signals/imbalance_engine.h"

using namespace flowscope;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static fuzz::ScratchFiles files{
        {fuzz::scratchPath("message.csv"), fuzz::scratchPath("orderbook.csv")}};
    const auto* nul = static_cast<const std::uint8_t*>(std::memchr(data, 0, size));
    const std::size_t messageBytes = nul ? static_cast<std::size_t>(nul - data) : size;
    fuzz::writeScratch(files.paths[0], data, messageBytes);
    const std::size_t bookAt = nul ? messageBytes + 1 : size;
    fuzz::writeScratch(files.paths[1], data + bookAt, size - bookAt);

    LobsterReader reader;
    if (!reader.open(files.paths[0], files.paths[1])) return 0;
    if (!reader.next()) return 0;
    if (reader.levels() < 1 || reader.levels() > 4096) return 0;  // keep each run cheap
    const auto check = [](const LobsterRow& row) {
        if (row.message.size < 0 || row.message.size > kMaxLobsterSize) __builtin_trap();
        for (const auto* side : {&row.bids, &row.asks})
            for (const Level& l : *side)
                if (l.qty < 0 || l.qty > kMaxLobsterSize) __builtin_trap();
    };
    check(reader.row());
    const int levels = reader.levels();
    OfiTableBuilder table(levels, 1'000'000'000);
    table.setInitial(reader.row().bids, reader.row().asks);
    EngineConfig config;
    config.ofiLevels = std::min(levels, config.ofiLevels);
    config.depthLevels = std::min(levels, config.depthLevels);
    ImbalanceEngine engine(config);
    engine.onDepth(reader.row().bids, reader.row().asks, reader.row().message.timeNs);
    while (reader.next()) {
        check(reader.row());
        table.addEvent(reader.row().message.timeNs, reader.row().bids, reader.row().asks);
        engine.onDepth(reader.row().bids, reader.row().asks, reader.row().message.timeNs);
        (void)engine.snapshot();
    }
    // Within the bounds a row of any level count cannot overflow one window's sums this soon.
    if (table.overflow()) __builtin_trap();
    table.finish();
    return 0;
}
