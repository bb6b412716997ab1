#include "venues/binance_depth_scanner.h"

#include <algorithm>
#include <bit>
#include <cstdint>
#include <cstring>
#include <iterator>

namespace flowscope::venues {

namespace {

constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
constexpr std::uint64_t kHighBits = 0x8080808080808080ULL;

/// Bytes of `word` that are zero, as their high bits. Exact up to and including the first zero
/// byte (the lowest: the first in memory); a borrow may flag bytes after it, never before.
constexpr std::uint64_t zeroBytes(std::uint64_t word) {
    return (word - kOnes) & ~word & kHighBits;
}

/// Bytes of `word` that end or leave a plain string: '"', '\\', a control character (JSON needs
/// it escaped) or any byte >= 0x80 (the scanner leaves UTF-8 checking to simdjson). The lowest
/// flagged byte is exactly the first such byte, which is all the scan needs.
constexpr std::uint64_t stringStopBytes(std::uint64_t word) {
    const std::uint64_t quote = zeroBytes(word ^ (kOnes * '"'));
    const std::uint64_t backslash = zeroBytes(word ^ (kOnes * '\\'));
    const std::uint64_t control = (word - kOnes * 0x20) & ~word & kHighBits;
    return quote | backslash | control | (word & kHighBits);
}

constexpr bool isPlainStringByte(char c) {
    const auto byte = static_cast<unsigned char>(c);
    return byte >= 0x20 && byte < 0x80 && c != '"' && c != '\\';
}

/// Bytes ahead of the cursor to prefetch: about eight levels.
constexpr std::ptrdiff_t kPrefetchAhead = 256;

constexpr bool isDigit(char c) {
    return static_cast<unsigned char>(c - '0') < 10;
}

/// Reads the strict subset of JSON described in the header, front to back. Every method either
/// consumes what it expects and returns true, or returns false (the frame is then declined, so
/// the position no longer matters).
class Cursor {
  public:
    explicit Cursor(std::string_view text) : p_(text.data()), end_(text.data() + text.size()) {}

    bool atEnd() const { return p_ == end_; }

    template <std::size_t N>
    bool literal(const char (&expected)[N]) {
        constexpr std::size_t size = N - 1;  // without the terminating NUL
        if (static_cast<std::size_t>(end_ - p_) < size || std::memcmp(p_, expected, size) != 0) {
            return false;
        }
        p_ += size;
        return true;
    }

    /// An unsigned JSON integer of at most `maxDigits` digits (so it fits: 19 for uint64, 18
    /// for int64), without a leading zero. The caller's next literal rejects a fraction or an
    /// exponent, since neither starts with what follows a number in the shape.
    bool unsignedNumber(std::uint64_t& out, int maxDigits) {
        const char* const start = p_;
        std::uint64_t value = 0;
        while (p_ < end_ && isDigit(*p_) && p_ - start < maxDigits) {
            value = value * 10 + static_cast<unsigned>(*p_ - '0');
            ++p_;
        }
        const auto digits = p_ - start;
        if (digits == 0 || (p_ < end_ && isDigit(*p_))) return false;  // none, or too many
        if (*start == '0' && digits > 1) return false;                 // JSON forbids "01"
        out = value;
        return true;
    }

    /// The rest of a string whose opening quote the caller's literal consumed, up to and
    /// including the closing quote; `out` is its content.
    bool plainString(std::string_view& out) {
        const char* const start = p_;
        // The word's first byte in memory must be its lowest for countr_zero to find it.
        while (std::endian::native == std::endian::little && end_ - p_ >= 8) {
            std::uint64_t word;
            std::memcpy(&word, p_, sizeof word);
            if (const std::uint64_t stops = stringStopBytes(word)) {
                p_ += std::countr_zero(stops) / 8;
                return closeString(start, out);
            }
            p_ += 8;
        }
        while (p_ < end_ && isPlainStringByte(*p_))
            ++p_;
        return closeString(start, out);
    }

    /// Members the shape does not name (fields Binance adds, as USD-M's "ps" and "st" in 2026):
    /// each `,"key":value` whose key is none of `known` and whose value is a plain string, a
    /// number without exponent of at most 18 digits before and after the point, true, false or
    /// null. Stops before a known key (the caller's literal then accepts or declines it). Only
    /// tried when the expected key is not next, so frames without extra members pay nothing.
    template <std::size_t N>
    bool skipUnknownMembers(const std::string_view (&known)[N]) {
        bool skipped = false;
        while (end_ - p_ >= 2 && p_[0] == ',' && p_[1] == '"') {
            const char* const member = p_;
            p_ += 2;
            std::string_view key;
            if (!plainString(key)) return false;
            if (std::find(std::begin(known), std::end(known), key) != std::end(known)) {
                p_ = member;
                return skipped;
            }
            if (!literal(":") || !scalar()) return false;
            skipped = true;
        }
        return skipped;
    }

    /// A level array [["price","qty"],...], possibly empty.
    bool levels(std::vector<BinanceLevelText>& out) {
        if (!literal("[")) return false;
        if (literal("]")) return true;
        // Binance prints a side's prices, and its quantities, with the same number of characters
        // ("61737.63000000", "0.00000000"), so each level is first tried at the previous one's
        // sizes.
        std::size_t priceSize = 0;
        std::size_t qtySize = 0;
        do {
            // The frame is read once, front to back: ask for the bytes a few levels ahead now
            // rather than stall on each new cache line (a pass over a recording touches every
            // line for the first time).
            __builtin_prefetch(p_ + std::min(kPrefetchAhead, end_ - p_));
            BinanceLevelText level;
            if (!levelOfSizes(priceSize, qtySize, level) && !anyLevel(level)) return false;
            priceSize = level.price.size();
            qtySize = level.qty.size();
            out.push_back(level);
        } while (literal(","));
        return literal("]");
    }

  private:
    /// A value skipUnknownMembers() may skip (see there); simdjson reads each the same way.
    bool scalar() {
        if (p_ == end_) return false;
        if (literal("\"")) {
            std::string_view ignored;
            return plainString(ignored);
        }
        if (*p_ == 't') return literal("true");
        if (*p_ == 'f') return literal("false");
        if (*p_ == 'n') return literal("null");
        if (*p_ == '-') ++p_;
        if (!digits(true)) return false;
        if (literal(".") && !digits(false)) return false;
        return p_ == end_ || (*p_ != 'e' && *p_ != 'E');
    }

    /// 1 to 18 digits; an integer part has no leading zero unless it is "0".
    bool digits(bool integerPart) {
        const char* const start = p_;
        while (p_ < end_ && isDigit(*p_) && p_ - start <= 18)
            ++p_;
        const auto count = p_ - start;
        if (count == 0 || count > 18) return false;
        return !(integerPart && *start == '0' && count > 1);
    }

    /// ["price","qty"] at any sizes: each string is searched for its end.
    bool anyLevel(BinanceLevelText& level) {
        return literal("[\"") && plainString(level.price) && literal(",\"") &&
               plainString(level.qty) && literal("]");
    }

    /// ["price","qty"] with strings of exactly the given sizes, each of 8 to 16 bytes: checked
    /// with a few loads at known places and no search. Why: a search makes the next string's
    /// position wait for this one's end (a chain of dependent loads through the whole frame);
    /// here the next level's position is known at once and the checks run in parallel.
    bool levelOfSizes(std::size_t priceSize, std::size_t qtySize, BinanceLevelText& level) {
        if constexpr (std::endian::native != std::endian::little) return false;
        if (priceSize - 8 > 8 || qtySize - 8 > 8) return false;  // unsigned: outside 8..16
        const std::size_t size = priceSize + qtySize + 7;
        if (static_cast<std::size_t>(end_ - p_) < size) return false;
        const char* const price = p_ + 2;
        const char* const qty = price + priceSize + 3;
        const bool framed = p_[0] == '[' && p_[1] == '"' && price[priceSize] == '"' &&
                            price[priceSize + 1] == ',' && price[priceSize + 2] == '"' &&
                            qty[qtySize] == '"' && qty[qtySize + 1] == ']';
        if (!framed || !plainBytes(price, priceSize) || !plainBytes(qty, qtySize)) return false;
        level.price = std::string_view(price, priceSize);
        level.qty = std::string_view(qty, qtySize);
        p_ += size;
        return true;
    }

    /// No byte of the 8 to 16 at `text` ends or leaves a plain string: two overlapping words.
    static bool plainBytes(const char* text, std::size_t size) {
        std::uint64_t head;
        std::uint64_t tail;
        std::memcpy(&head, text, sizeof head);
        std::memcpy(&tail, text + size - 8, sizeof tail);
        return (stringStopBytes(head) | stringStopBytes(tail)) == 0;
    }

    bool closeString(const char* start, std::string_view& out) {
        if (p_ == end_ || *p_ != '"') return false;  // an escape, a control byte, or the end
        out = std::string_view(start, static_cast<std::size_t>(p_ - start));
        ++p_;
        return true;
    }

    const char* p_;
    const char* const end_;
};

constexpr int kUint64Digits = 19;
constexpr int kInt64Digits = 18;

/// Every key of a depth event (spot and USD-M): never skipped as an unknown member, so a frame
/// that repeats or reorders one is declined.
constexpr std::string_view kDepthKeys[] = {"e", "E", "T", "s", "U", "u", "pu", "b", "a"};

/// `expected` (a key, or the closing brace) next, after any members the shape does not name.
template <std::size_t N>
bool next(Cursor& in, const char (&expected)[N]) {
    return in.literal(expected) || (in.skipUnknownMembers(kDepthKeys) && in.literal(expected));
}

/// The event object's members and its closing brace; the opening brace is already read.
bool scanEventMembers(Cursor& in, BinanceMarket market, BinanceMessage& message,
                      std::vector<BinanceLevelText>& bids, std::vector<BinanceLevelText>& asks) {
    BinanceDepthText& depth = message.depth;
    const bool usdm = market == BinanceMarket::UsdM;
    if (!in.literal(R"("e":"depthUpdate","E":)") ||
        !in.unsignedNumber(depth.eventMs, kUint64Digits)) {
        return false;
    }
    if (usdm && (!next(in, R"(,"T":)") || !in.unsignedNumber(depth.transactionMs, kUint64Digits))) {
        return false;
    }
    if (!next(in, R"(,"s":")") || !in.plainString(message.symbol) || !next(in, R"(,"U":)") ||
        !in.unsignedNumber(depth.ids.first, kUint64Digits) || !next(in, R"(,"u":)") ||
        !in.unsignedNumber(depth.ids.last, kUint64Digits)) {
        return false;
    }
    if (usdm) {
        std::uint64_t previous = 0;
        if (!next(in, R"(,"pu":)") || !in.unsignedNumber(previous, kInt64Digits)) return false;
        depth.ids.previous = static_cast<std::int64_t>(previous);
    }
    return next(in, R"(,"b":)") && in.levels(bids) && next(in, R"(,"a":)") && in.levels(asks) &&
           next(in, "}");
}

}  // namespace

bool scanCompactDepthEvent(std::string_view frame, BinanceMarket market, BinanceMessage& message,
                           std::vector<BinanceLevelText>& bids,
                           std::vector<BinanceLevelText>& asks) {
    Cursor in(frame);
    if (in.literal(R"({"stream":")")) {
        std::string_view stream;
        if (!in.plainString(stream) || !in.literal(R"(,"data":{)") ||
            !scanEventMembers(in, market, message, bids, asks) || !in.literal("}")) {
            return false;
        }
    } else if (!in.literal("{") || !scanEventMembers(in, market, message, bids, asks)) {
        return false;
    }
    // u below U is malformed: the simdjson reader reports it.
    if (!in.atEnd() || message.depth.ids.last < message.depth.ids.first) return false;
    message.kind = BinanceMessageKind::Depth;
    message.depth.bids = bids;
    message.depth.asks = asks;
    return true;
}

bool scanCompactDepthSnapshot(std::string_view body, BinanceMarket market,
                              BinanceSnapshotText& snapshot, std::vector<BinanceLevelText>& bids,
                              std::vector<BinanceLevelText>& asks) {
    Cursor in(body);
    if (!in.literal(R"({"lastUpdateId":)") ||
        !in.unsignedNumber(snapshot.lastUpdateId, kUint64Digits)) {
        return false;
    }
    if (market == BinanceMarket::UsdM) {
        // The simdjson reader takes T (when the book was taken) over E, as here.
        std::uint64_t messageMs = 0;
        if (!in.literal(R"(,"E":)") || !in.unsignedNumber(messageMs, kUint64Digits) ||
            !in.literal(R"(,"T":)") || !in.unsignedNumber(snapshot.timeMs, kUint64Digits)) {
            return false;
        }
    }
    if (!in.literal(R"(,"bids":)") || !in.levels(bids) || !in.literal(R"(,"asks":)") ||
        !in.levels(asks) || !in.literal("}") || !in.atEnd()) {
        return false;
    }
    snapshot.kind = BinanceMessageKind::Depth;
    snapshot.bids = bids;
    snapshot.asks = asks;
    return true;
}

}  // namespace flowscope::venues
