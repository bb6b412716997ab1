#pragma once
/// L2 order book of one instrument: both sides, the venue sequence and time of the last change,
/// and integrity checks returned as values the caller must handle.
///
/// Threading: owned by exactly one thread (the feed thread); it has no locks. Other threads
/// receive copies of what they need (top-N views), never a reference to the book.

#include <cstdint>
#include <span>

#include "book/book_side.h"

namespace flowscope {

enum class [[nodiscard]] BookError : std::uint8_t{
    None,
    NegativeSize,    ///< a size below zero: the update is rejected, the book is unchanged
    InvalidPrice,    ///< a sentinel price (no real venue sends one): rejected
    DuplicateLevel,  ///< a snapshot lists one price twice on a side: snapshot rejected
};

/// How the touch looks. Locked and crossed books are legal transient states on some venues
/// (and in LOBSTER's level view) but mean a missed update on most: the caller decides.
enum class BookState : std::uint8_t { Normal, Empty, OneSided, Locked, Crossed };

const char* describe(BookError e);
const char* describe(BookState s);

class OrderBook {
  public:
    explicit OrderBook(std::size_t reserveLevelsPerSide = 4096);

    /// Replaces both sides. Levels may come in any order; zero sizes are skipped.
    /// Validates everything first, so a rejected snapshot leaves the book as it was.
    BookError applySnapshot(std::span<const Level> bids, std::span<const Level> asks,
                            std::uint64_t sequence, TimeNs timeNs);
    /// Sets the size at one price (0 deletes).
    BookError apply(Side side, PriceTicks price, Lots qty, std::uint64_t sequence, TimeNs timeNs);
    /// Adds a signed size change at one price (LOBSTER-style messages); a level reaching zero or
    /// below is deleted.
    BookError applyDelta(Side side, PriceTicks price, Lots delta, std::uint64_t sequence,
                         TimeNs timeNs);
    void clear();

    const BookSide& bids() const { return bids_; }
    const BookSide& asks() const { return asks_; }
    const BookSide& side(Side s) const { return s == Side::Bid ? bids_ : asks_; }

    Level bestBid() const { return bids_.best(); }
    Level bestAsk() const { return asks_.best(); }
    Lots sizeAt(Side s, PriceTicks price) const { return side(s).sizeAt(price); }
    BookState state() const;

    std::uint64_t sequence() const { return sequence_; }
    TimeNs lastChangeNs() const { return lastChangeNs_; }

  private:
    BookSide& mutableSide(Side s) { return s == Side::Bid ? bids_ : asks_; }
    void stamp(std::uint64_t sequence, TimeNs timeNs) {
        sequence_ = sequence;
        lastChangeNs_ = timeNs;
    }

    BookSide bids_;
    BookSide asks_;
    std::uint64_t sequence_ = 0;
    TimeNs lastChangeNs_ = 0;
};

}  // namespace flowscope
