#pragma once
/// Number formatting for CSV and JSON output: exact where the value is exact, shortest
/// round-trip for doubles, and explicit for undefined values.

#include <cstdint>
#include <string>
#include <string_view>

namespace flowscope::cli {

/// Shortest text that reads back to the same double; "nan" for NaN (CSV).
std::string formatDouble(double v);
/// JSON number, or null for NaN/inf (JSON has no NaN).
std::string jsonNumber(double v);
/// Nanoseconds as seconds, without trailing zeros: 34200000000000 -> "34200", 1500000000 -> "1.5".
std::string formatSeconds(std::int64_t ns);
/// A JSON string literal with quotes, escaping what JSON requires.
std::string jsonString(std::string_view text);
/// half-units as a decimal: 3 -> "1.5", -4 -> "-2".
std::string formatHalves(std::int64_t twice);

}  // namespace flowscope::cli
