#include "lobster/lobster_reader.h"

#include <charconv>

#include "io/text_excerpt.h"

namespace flowscope {
namespace {

constexpr std::int64_t kEmptyAsk = 9999999999;
constexpr std::int64_t kEmptyBid = -9999999999;

enum class IntResult { Ok, NotInteger, OutOfRange };

IntResult readInt(std::string_view field, std::int64_t& out) {
    const char* first = field.data();
    const char* last = field.data() + field.size();
    if (first != last && *first == '+') ++first;
    auto [ptr, ec] = std::from_chars(first, last, out);
    if (first == last || ptr != last) return IntResult::NotInteger;
    return ec == std::errc() ? IntResult::Ok : IntResult::OutOfRange;
}

bool parseInt(std::string_view field, std::int64_t& out) {
    return readInt(field, out) == IntResult::Ok;
}

enum class FieldResult { Ok, NotInteger, OutOfRange, Below, Above };

// A field in [min, max]. No allocation on the way: messages are built only for a bad field.
FieldResult readBounded(std::string_view field, std::int64_t min, std::int64_t max,
                        std::int64_t& out) {
    switch (readInt(field, out)) {
        case IntResult::NotInteger:
            return FieldResult::NotInteger;
        case IntResult::OutOfRange:
            return FieldResult::OutOfRange;
        case IntResult::Ok:
            break;
    }
    if (out < min) return FieldResult::Below;
    if (out > max) return FieldResult::Above;
    return FieldResult::Ok;
}

// Why a field was refused, quoting a bounded excerpt of it.
std::string badField(FieldResult result, const std::string& what, std::string_view field,
                     std::int64_t min, std::int64_t max) {
    const std::string shown = what + " " + quoteExcerpt(field);  // bounded and printable
    switch (result) {
        case FieldResult::NotInteger:
            return shown + " is not an integer";
        case FieldResult::OutOfRange:
            return shown + " does not fit in 64 bits";
        case FieldResult::Below:
            return shown + " is below " + std::to_string(min);
        case FieldResult::Above:
        case FieldResult::Ok:
            break;
    }
    return shown + " is above " + std::to_string(max) + ", the most this reader accepts";
}

// "34200.004241176" -> 34200004241176 ns, exactly; at most 9 decimals.
bool parseSecondsToNs(std::string_view field, TimeNs& out) {
    const auto dot = field.find('.');
    std::int64_t whole = 0;
    // Beyond ~292 years of seconds the nanoseconds do not fit in 64 bits.
    constexpr std::int64_t kMaxSeconds = (INT64_MAX - 999'999'999) / 1'000'000'000;
    if (!parseInt(field.substr(0, dot), whole) || whole < 0 || whole > kMaxSeconds) return false;
    std::int64_t frac = 0;
    if (dot != std::string_view::npos) {
        const std::string_view digits = field.substr(dot + 1);
        if (digits.empty() || digits.size() > 9) return false;
        for (char c : digits) {
            if (c < '0' || c > '9') return false;
            frac = frac * 10 + (c - '0');
        }
        for (std::size_t i = digits.size(); i < 9; ++i)
            frac *= 10;
    }
    out = whole * 1'000'000'000 + frac;
    return true;
}

// Splits on commas into `fields`; returns the number of fields found (stops counting past max).
std::size_t split(std::string_view line, std::string_view* fields, std::size_t max) {
    std::size_t n = 0;
    std::size_t start = 0;
    for (;;) {
        const auto comma = line.find(',', start);
        if (n < max)
            fields[n] = line.substr(start, comma == std::string_view::npos ? comma : comma - start);
        ++n;
        if (comma == std::string_view::npos) return n;
        start = comma + 1;
    }
}

std::size_t countFields(std::string_view line) {
    std::size_t n = 1;
    for (char c : line)
        n += c == ',';
    return n;
}

}  // namespace

bool LobsterReader::fail(const LineReader& file, std::string message) {
    error_ = InputError{file.path(), file.lineNumber(), std::move(message)};
    return false;
}

bool LobsterReader::open(const std::string& messagesPath, const std::string& bookPath, int levels) {
    error_.reset();
    first_ = true;
    levels_ = levels;
    if (levels < 0) {
        error_ = InputError{bookPath, 0, "the level count must be positive"};
        return false;
    }
    if (!messages_.open(messagesPath, kMaxLobsterLineBytes)) {
        error_ = InputError{messagesPath, 0, "cannot open: " + messages_.errorMessage()};
        return false;
    }
    if (!book_.open(bookPath, kMaxLobsterLineBytes)) {
        error_ = InputError{bookPath, 0, "cannot open: " + book_.errorMessage()};
        return false;
    }
    return true;
}

bool LobsterReader::parseMessage(std::string_view line) {
    std::string_view f[6];
    const std::size_t n = split(line, f, 6);
    if (n != 6)
        return fail(messages_,
                    "expected 6 columns (time,type,order id,size,price,direction), found " +
                        std::to_string(n));
    LobsterMessage m;
    std::int64_t type = 0, direction = 0;
    if (!parseSecondsToNs(f[0], m.timeNs))
        return fail(messages_, "time " + quoteExcerpt(f[0]) + " is not seconds after midnight");
    if (!parseInt(f[1], type) || type < 1 || type > 7)
        return fail(messages_, "event type " + quoteExcerpt(f[1]) + " is not 1..7");
    if (!parseInt(f[2], m.orderId))
        return fail(messages_, "order id " + quoteExcerpt(f[2]) + " is not an integer");
    if (auto r = readBounded(f[3], 0, kMaxLobsterSize, m.size); r != FieldResult::Ok)
        return fail(messages_, badField(r, "size", f[3], 0, kMaxLobsterSize));
    if (auto r = readBounded(f[4], -kMaxLobsterPrice, kMaxLobsterPrice, m.price);
        r != FieldResult::Ok)
        return fail(messages_, badField(r, "price", f[4], -kMaxLobsterPrice, kMaxLobsterPrice));
    if (!parseInt(f[5], direction) || (direction != 1 && direction != -1))
        return fail(messages_, "direction " + quoteExcerpt(f[5]) + " is not 1 or -1");
    if (!first_ && m.timeNs < row_.message.timeNs)
        return fail(messages_,
                    "time goes backwards (" + std::string(f[0]) + " after an earlier row)");
    m.type = static_cast<LobsterType>(type);
    m.side = direction == 1 ? Side::Bid : Side::Ask;
    row_.message = m;
    return true;
}

bool LobsterReader::parseBook(std::string_view line) {
    const std::size_t n = countFields(line);
    if (levels_ == 0) {
        if (n % 4 != 0)
            return fail(book_, "found " + std::to_string(n) +
                                   " columns, not a multiple of 4 (ask price, ask size, bid price, "
                                   "bid size per level)");
        levels_ = static_cast<int>(n / 4);
    }
    const auto expected = static_cast<std::size_t>(levels_) * 4;
    if (n != expected)
        return fail(book_, "expected " + std::to_string(expected) + " columns for " +
                               std::to_string(levels_) + " levels, found " + std::to_string(n));
    row_.bids.resize(static_cast<std::size_t>(levels_));
    row_.asks.resize(static_cast<std::size_t>(levels_));
    std::size_t start = 0;
    std::int64_t v[4];
    for (int level = 0; level < levels_; ++level) {
        for (int c = 0; c < 4; ++c) {
            const auto comma = line.find(',', start);
            const std::string_view field =
                line.substr(start, comma == std::string_view::npos ? comma : comma - start);
            start = comma + 1;
            const bool isSize = c % 2 == 1;
            const std::int64_t min = isSize ? 0 : -kMaxLobsterPrice;
            const std::int64_t max = isSize ? kMaxLobsterSize : kMaxLobsterPrice;
            if (auto r = readBounded(field, min, max, v[c]); r != FieldResult::Ok) [[unlikely]]
                return fail(book_,
                            badField(r,
                                     "column " + std::to_string(level * 4 + c + 1) +
                                         (isSize ? " (size at level " : " (price at level ") +
                                         std::to_string(level + 1) + ")",
                                     field, min, max));
        }
        auto& ask = row_.asks[static_cast<std::size_t>(level)];
        auto& bid = row_.bids[static_cast<std::size_t>(level)];
        ask = v[0] == kEmptyAsk ? emptyLevel(Side::Ask) : Level{v[0], v[1]};
        bid = v[2] == kEmptyBid ? emptyLevel(Side::Bid) : Level{v[2], v[3]};
    }
    return true;
}

bool LobsterReader::next() {
    if (error_) return false;
    std::string_view messageLine, bookLine;
    const bool haveMessage = messages_.next(messageLine);
    const bool haveBook = book_.next(bookLine);
    for (const LineReader* file : {&messages_, &book_})
        if (file->failed()) {
            error_ =
                InputError{file->path(), file->lineNumber() + 1,
                           file->tooLong() ? file->errorMessage() + " (no LOBSTER row is that long)"
                                           : "read error: " + file->errorMessage()};
            return false;
        }
    if (!haveMessage && !haveBook) {
        if (first_) error_ = InputError{messages_.path(), 0, "the file is empty"};
        return false;
    }
    if (haveMessage != haveBook) {
        const LineReader& shorter = haveMessage ? book_ : messages_;
        const LineReader& longer = haveMessage ? messages_ : book_;
        return fail(longer, "has more rows than " + shorter.path() + " (" +
                                std::to_string(shorter.lineNumber()) +
                                " rows): message and book files must have the same length");
    }
    if (!parseMessage(messageLine) || !parseBook(bookLine)) return false;
    row_.index = messages_.lineNumber() - 1;
    first_ = false;
    return true;
}

std::optional<Lots> lobsterBookDelta(const LobsterMessage& m) {
    switch (m.type) {
        case LobsterType::Submit:
            return m.size;
        case LobsterType::PartialCancel:
        case LobsterType::Delete:
        case LobsterType::VisibleExecution:
            return -m.size;
        default:
            return std::nullopt;
    }
}

bool lobsterTrade(const LobsterMessage& m, Side& aggressor) {
    if (m.type != LobsterType::VisibleExecution && m.type != LobsterType::HiddenExecution)
        return false;
    aggressor = opposite(m.side);
    return true;
}

}  // namespace flowscope
