#pragma once
/// Incremental CRC-32 (the zlib / ISO-HDLC polynomial every venue checksum uses), fed piece by
/// piece so that a checksum over a book needs no string to be built. Include from .cpp files only:
/// it pulls in <zlib.h>.

#include <zlib.h>

#include <cstdint>
#include <string_view>

namespace flowscope::venues {

class Crc32 {
  public:
    void add(std::string_view bytes) {
        // zlib takes a uInt length; venue fields are a few dozen bytes, far below its range.
        crc_ = crc32(crc_, reinterpret_cast<const Bytef*>(bytes.data()),
                     static_cast<uInt>(bytes.size()));
    }
    void add(char c) { add(std::string_view(&c, 1)); }
    std::uint32_t value() const { return static_cast<std::uint32_t>(crc_); }

  private:
    uLong crc_ = crc32(0L, Z_NULL, 0);
};

}  // namespace flowscope::venues
