// flowscope-cli checksum: a venue's book checksum of a book given as JSON on stdin, to check a
// recorded or hand-made book against the value the venue sent.
#include <cstdint>
#include <istream>
#include <iterator>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "arg_parser.h"
#include "commands.h"
#include "io/text_excerpt.h"
#include "venues/kraken_checksum.h"
#include "venues/okx_checksum.h"
#include "venues/venue_id.h"

namespace flowscope::cli {
namespace {

constexpr const char* kHelp =
    R"(usage: flowscope-cli checksum --venue kraken|okx [--depth N] < book.json

Reads one book from stdin, prices and sizes as the strings the venue sent, best level first:
  {"bids": [["64000.1", "0.5"], ...], "asks": [["64000.2", "1.25"], ...]}
and prints the venue's checksum of it as a decimal integer:
  kraken  CRC-32 of the top 10 asks then top 10 bids, '.' and leading zeros removed (unsigned)
  okx     CRC-32 of the top 25 levels interleaved "bidPx:bidSz:askPx:askSz:..." (signed)
--depth N keeps only the best N levels of each side first (default: the checksum's depth).
)";

/// Where the reader is in the text, for messages ("line 3, column 14").
struct Position {
    int line = 1;
    int column = 1;
};

/// A strict reader for the one shape this command takes. Other keys may hold any JSON value.
class BookReader {
  public:
    explicit BookReader(std::string_view text) : text_(text) {}

    bool read(std::vector<std::string>& bids, std::vector<std::string>& asks, bool& haveBids,
              bool& haveAsks);
    const std::string& error() const { return error_; }

  private:
    bool fail(const std::string& what);
    void skipSpace();
    bool expect(char c);
    bool readString(std::string& out);
    bool readSide(const std::string& name, std::vector<std::string>& out);
    bool skipValue(int depth);

    std::string_view text_;
    std::size_t pos_ = 0;
    Position where_;
    std::string error_;
};

bool BookReader::fail(const std::string& what) {
    if (error_.empty())
        error_ = "stdin line " + std::to_string(where_.line) + ", column " +
                 std::to_string(where_.column) + ": " + what;
    return false;
}

void BookReader::skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
        if (text_[pos_] == '\n') {
            ++where_.line;
            where_.column = 0;
        }
        ++pos_;
        ++where_.column;
    }
}

bool BookReader::expect(char c) {
    skipSpace();
    if (pos_ >= text_.size()) return fail(std::string("expected '") + c + "', found end of input");
    if (text_[pos_] != c)
        return fail(std::string("expected '") + c + "', found '" + text_[pos_] + "'");
    ++pos_;
    ++where_.column;
    return true;
}

bool BookReader::readString(std::string& out) {
    if (!expect('"')) return false;
    out.clear();
    while (pos_ < text_.size() && text_[pos_] != '"') {
        const char c = text_[pos_];
        if (c == '\\') {
            // Escapes are legal JSON but never part of a number; keep them to report as garbage.
            if (pos_ + 1 >= text_.size()) break;
            out += c;
            ++pos_;
            ++where_.column;
        } else if (static_cast<unsigned char>(c) < 0x20) {
            return fail("control character inside a string");
        }
        out += text_[pos_];
        ++pos_;
        ++where_.column;
    }
    if (pos_ >= text_.size()) return fail("unterminated string");
    ++pos_;
    ++where_.column;
    return true;
}

/// A plain non-negative decimal ("64000.1", "0.00000500", "7"), as venues print prices and sizes.
bool isPlainDecimal(std::string_view s) {
    bool digit = false, dot = false;
    for (const char c : s) {
        if (c == '.') {
            if (dot) return false;
            dot = true;
        } else if (c >= '0' && c <= '9') {
            digit = true;
        } else {
            return false;
        }
    }
    return digit;
}

bool BookReader::readSide(const std::string& name, std::vector<std::string>& out) {
    out.clear();
    if (!expect('[')) return false;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == ']') return expect(']');
    for (std::size_t level = 0;; ++level) {
        const std::string at = name + "[" + std::to_string(level) + "]";
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] != '[')
            return fail(at + " is not a [price, size] array");
        if (!expect('[')) return false;
        for (const char* field : {"price", "size"}) {
            if (std::string_view(field) == "size" && !expect(',')) return false;
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] != '"')
                return fail(at + " " + field + " is not a string (give it as the venue sent it)");
            std::string value;
            if (!readString(value)) return false;
            if (!isPlainDecimal(value))
                return fail(at + " " + field + " \"" + value + "\" is not a plain decimal number");
            out.push_back(std::move(value));
        }
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] != ']')
            return fail(at + " has more than 2 elements");
        if (!expect(']')) return false;
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == ']') return expect(']');
        if (!expect(',')) return false;
    }
}

bool BookReader::skipValue(int depth) {
    if (depth > 64) return fail("nesting too deep");
    skipSpace();
    if (pos_ >= text_.size()) return fail("expected a value, found end of input");
    const char c = text_[pos_];
    if (c == '"') {
        std::string ignored;
        return readString(ignored);
    }
    if (c == '[' || c == '{') {
        const char close = c == '[' ? ']' : '}';
        if (!expect(c)) return false;
        skipSpace();
        if (pos_ < text_.size() && text_[pos_] == close) return expect(close);
        for (;;) {
            if (c == '{') {
                std::string key;
                if (!readString(key) || !expect(':')) return false;
            }
            if (!skipValue(depth + 1)) return false;
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == close) return expect(close);
            if (!expect(',')) return false;
        }
    }
    // A number, true, false or null: a run of their characters.
    const std::size_t start = pos_;
    while (pos_ < text_.size() && std::string_view("0123456789+-.eEtruefalsn").find(text_[pos_]) !=
                                      std::string_view::npos) {
        ++pos_;
        ++where_.column;
    }
    if (pos_ == start) return fail(std::string("unexpected '") + c + "'");
    return true;
}

bool BookReader::read(std::vector<std::string>& bids, std::vector<std::string>& asks,
                      bool& haveBids, bool& haveAsks) {
    if (!expect('{')) return false;
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] != '}') {
        for (;;) {
            std::string key;
            if (!readString(key) || !expect(':')) return false;
            if (key == "bids" || key == "asks") {
                bool& seen = key == "bids" ? haveBids : haveAsks;
                if (seen) return fail("\"" + key + "\" given twice");
                seen = true;
                if (!readSide(key, key == "bids" ? bids : asks)) return false;
            } else if (!skipValue(0)) {
                return false;
            }
            skipSpace();
            if (pos_ < text_.size() && text_[pos_] == '}') break;
            if (!expect(',')) return false;
        }
    }
    if (!expect('}')) return false;
    skipSpace();
    if (pos_ != text_.size()) return fail("unexpected text after the book object");
    return true;
}

/// Compares two plain decimals by value: <0, 0, >0.
int compareDecimals(std::string_view a, std::string_view b) {
    const auto split = [](std::string_view s) {
        const std::size_t dot = s.find('.');
        std::string_view whole = s.substr(0, dot);
        std::string_view fraction = dot == std::string_view::npos ? "" : s.substr(dot + 1);
        if (whole.empty()) whole = "0";  // ".5"
        while (whole.size() > 1 && whole.front() == '0')
            whole.remove_prefix(1);
        while (!fraction.empty() && fraction.back() == '0')
            fraction.remove_suffix(1);
        return std::pair{whole, fraction};
    };
    const auto [wa, fa] = split(a);
    const auto [wb, fb] = split(b);
    if (wa.size() != wb.size()) return wa.size() < wb.size() ? -1 : 1;
    if (const int c = wa.compare(wb)) return c;
    return fa.compare(fb);
}

/// Checks that a side is best first with distinct prices; a wrong order gives a wrong checksum.
std::optional<std::string> checkOrder(const std::string& name,
                                      const std::vector<std::string>& fields, bool descending) {
    for (std::size_t i = 2; i < fields.size(); i += 2) {
        const int c = compareDecimals(fields[i], fields[i - 2]);
        if (descending ? c >= 0 : c <= 0)
            return name + "[" + std::to_string(i / 2) + "] price " + fields[i] + " is not " +
                   (descending ? "below " : "above ") + name + "[" + std::to_string(i / 2 - 1) +
                   "] price " + fields[i - 2] + " (levels must be best first, prices distinct)";
    }
    return std::nullopt;
}

std::vector<venues::TextLevel> levelsOf(const std::vector<std::string>& fields, std::size_t depth) {
    std::vector<venues::TextLevel> levels;
    for (std::size_t i = 0; i + 1 < fields.size() && levels.size() < depth; i += 2)
        levels.push_back({fields[i], fields[i + 1]});
    return levels;
}

}  // namespace

int runChecksum(const std::vector<std::string>& args, std::istream& in, std::ostream& out,
                std::ostream& err) {
    ArgParser parser({"venue", "depth"}, {"help"});
    const auto usage = [&](const std::string& message) {
        err << "flowscope-cli checksum: " << message << "\n" << kHelp;
        return kExitBadInput;
    };
    if (!parser.parse(args)) return usage(parser.error());
    if (parser.flag("help")) {
        out << kHelp;
        return kExitOk;
    }
    if (!parser.positional().empty())
        return usage("unexpected argument " + quoteExcerpt(parser.positional()[0]));
    if (!parser.value("venue")) return usage("missing --venue");
    const std::string venueText = *parser.value("venue");
    const auto venue = venues::parseVenueId(venueText);
    if (!venue)
        return usage("unknown venue " + quoteExcerpt(venueText) +
                     "; venues: " + venues::venueList());
    if (*venue != venues::VenueId::Kraken && *venue != venues::VenueId::Okx &&
        *venue != venues::VenueId::OkxSwap)
        return usage(std::string("venue ") + venues::venueName(*venue) +
                     " publishes no book checksum; checksums exist for kraken, okx and okx-swap");
    const bool kraken = *venue == venues::VenueId::Kraken;
    std::size_t depth = kraken ? venues::kKrakenChecksumDepth : venues::kOkxChecksumDepth;
    if (parser.value("depth")) {
        std::string error;
        const auto parsed = parsePositive("depth", *parser.value("depth"), error);
        if (!parsed) return usage(error);
        depth = static_cast<std::size_t>(*parsed);
    }

    const std::string text{std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
    std::vector<std::string> bids, asks;
    bool haveBids = false, haveAsks = false;
    BookReader reader(text);
    const auto inputError = [&](const std::string& message) {
        err << "flowscope-cli checksum: " << message << "\n";
        return kExitBadInput;
    };
    if (!reader.read(bids, asks, haveBids, haveAsks)) return inputError(reader.error());
    if (!haveBids || !haveAsks)
        return inputError(std::string("stdin: the book has no \"") + (haveBids ? "asks" : "bids") +
                          "\" array");
    if (auto problem = checkOrder("bids", bids, true)) return inputError("stdin: " + *problem);
    if (auto problem = checkOrder("asks", asks, false)) return inputError("stdin: " + *problem);

    const auto bidLevels = levelsOf(bids, depth);
    const auto askLevels = levelsOf(asks, depth);
    if (kraken)
        out << venues::krakenChecksum(bidLevels, askLevels) << "\n";
    else
        out << venues::okxChecksum(bidLevels, askLevels) << "\n";
    return kExitOk;  // main() reports a failed write on stdout, for every subcommand
}

}  // namespace flowscope::cli
