#pragma once
/// simdjson reads up to SIMDJSON_PADDING bytes past the end of its input. Frames from the socket
/// have no such slack, so each adapter copies a frame into this reused buffer: one memcpy, and no
/// allocation once the buffer has grown to the largest frame seen.

#include <simdjson.h>

#include <cstring>
#include <string_view>
#include <vector>

namespace flowscope::venues {

class PaddedFrame {
  public:
    simdjson::padded_string_view load(std::string_view text) {
        const std::size_t needed = text.size() + simdjson::SIMDJSON_PADDING;
        if (buffer_.size() < needed) buffer_.resize(needed);
        std::memcpy(buffer_.data(), text.data(), text.size());
        std::memset(buffer_.data() + text.size(), 0, simdjson::SIMDJSON_PADDING);
        return simdjson::padded_string_view(buffer_.data(), text.size(), buffer_.size());
    }

  private:
    std::vector<char> buffer_;
};

}  // namespace flowscope::venues
