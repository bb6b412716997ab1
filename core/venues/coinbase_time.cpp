#include "venues/coinbase_time.h"

#include <cstdint>
#include <limits>

namespace flowscope::venues {

namespace {

/// Reads exactly `count` decimal digits at `pos`; nullopt on any other character.
std::optional<int> digitsAt(std::string_view text, std::size_t pos, std::size_t count) {
    if (pos + count > text.size()) return std::nullopt;
    int value = 0;
    for (std::size_t i = pos; i < pos + count; ++i) {
        const char c = text[i];
        if (c < '0' || c > '9') return std::nullopt;
        value = value * 10 + (c - '0');
    }
    return value;
}

bool isLeapYear(int year) {
    return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

int daysInMonth(int year, int month) {
    constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    return month == 2 && isLeapYear(year) ? 29 : kDays[month - 1];
}

/// Days from 1970-01-01 to the civil date (proleptic Gregorian), H. Hinnant's algorithm.
std::int64_t daysFromCivil(int year, int month, int day) {
    const int y = year - (month <= 2 ? 1 : 0);
    const int era = (y >= 0 ? y : y - 399) / 400;
    const int yearOfEra = y - era * 400;
    const int monthFromMarch = month > 2 ? month - 3 : month + 9;
    const int dayOfYear = (153 * monthFromMarch + 2) / 5 + day - 1;
    const int dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear;
    return static_cast<std::int64_t>(era) * 146097 + dayOfEra - 719468;
}

constexpr std::int64_t kNsPerSecond = 1'000'000'000;

}  // namespace

std::optional<TimeNs> parseRfc3339Ns(std::string_view text) {
    // Fixed part: YYYY-MM-DDTHH:MM:SS (19 characters).
    if (text.size() < 20) return std::nullopt;
    const auto year = digitsAt(text, 0, 4);
    const auto month = digitsAt(text, 5, 2);
    const auto day = digitsAt(text, 8, 2);
    const auto hour = digitsAt(text, 11, 2);
    const auto minute = digitsAt(text, 14, 2);
    const auto second = digitsAt(text, 17, 2);
    if (!year || !month || !day || !hour || !minute || !second) return std::nullopt;
    if (text[4] != '-' || text[7] != '-' || (text[10] != 'T' && text[10] != 't') ||
        text[13] != ':' || text[16] != ':') {
        return std::nullopt;
    }
    if (*month < 1 || *month > 12 || *day < 1 || *day > daysInMonth(*year, *month) || *hour > 23 ||
        *minute > 59 || *second > 60) {
        return std::nullopt;
    }

    std::size_t pos = 19;
    std::int64_t fractionNs = 0;
    if (text[pos] == '.') {
        ++pos;
        const std::size_t firstDigit = pos;
        std::int64_t scale = kNsPerSecond / 10;
        while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
            fractionNs += (text[pos] - '0') * scale;  // beyond nine digits scale is 0: truncated
            scale /= 10;
            ++pos;
        }
        if (pos == firstDigit) return std::nullopt;  // "20:31:26.Z"
    }

    if (pos >= text.size()) return std::nullopt;  // RFC 3339 requires a zone
    std::int64_t offsetSeconds = 0;
    const char zone = text[pos];
    if (zone == 'Z' || zone == 'z') {
        ++pos;
    } else if (zone == '+' || zone == '-') {
        const auto offsetHours = digitsAt(text, pos + 1, 2);
        const auto offsetMinutes = digitsAt(text, pos + 4, 2);
        if (!offsetHours || !offsetMinutes || pos + 3 >= text.size() || text[pos + 3] != ':' ||
            *offsetHours > 23 || *offsetMinutes > 59) {
            return std::nullopt;
        }
        offsetSeconds = (*offsetHours * 3600 + *offsetMinutes * 60) * (zone == '+' ? 1 : -1);
        pos += 6;
    } else {
        return std::nullopt;
    }
    if (pos != text.size()) return std::nullopt;

    // Local time minus the offset is UTC.
    const std::int64_t seconds = daysFromCivil(*year, *month, *day) * 86400 + *hour * 3600 +
                                 *minute * 60 + *second - offsetSeconds;
    constexpr std::int64_t kMaxSeconds = std::numeric_limits<TimeNs>::max() / kNsPerSecond - 1;
    constexpr std::int64_t kMinSeconds = std::numeric_limits<TimeNs>::min() / kNsPerSecond + 1;
    if (seconds > kMaxSeconds || seconds < kMinSeconds) return std::nullopt;
    return seconds * kNsPerSecond + fractionNs;
}

}  // namespace flowscope::venues
