#pragma once
/// The on-disk layout of a Flowscope recording, shared by RecordingWriter and RecordingReader.
/// This comment is the specification: an independent reader needs nothing else.
///
/// All integers are little-endian, unsigned unless marked i64 (two's complement). CRC32 is the
/// zlib / IEEE 802.3 CRC (polynomial 0xEDB88320 reflected, init and final xor 0xFFFFFFFF), as
/// zlib's crc32(0, bytes, n) computes it.
///
/// File header (at offset 0):
///   off  size  field
///   0    8     magic "FLOWREC" 0x01 (46 4C 4F 57 52 45 43 01); never changes
///   8    4     formatVersion (1). A reader refuses a version newer than it knows *before*
///              looking at anything else, since a newer version may lay out the rest differently.
///   12   4     bodyLength B: bytes of the header body that follow (at most kMaxHeaderBody)
///   16   B     body: venue (str), symbol (str), createdNs (i64, ns since the Unix epoch),
///              software (str); str = u16 byte length + UTF-8 bytes, no terminator.
///              A reader ignores body bytes after the fields it knows: fields can be appended
///              within a version without breaking older readers.
///   16+B 4     CRC32 of bytes [0, 16+B)
/// Blocks follow immediately, back to back, until the end of the file.
///
/// Block frame:
///   off  size  field
///   0    4     sync word "FBLK" (46 42 4C 4B): lets a reader find the next frame after damage
///   4    4     compressedLength C (at most kMaxCompressedBlockBytes)
///   8    4     rawLength R (at most kMaxRawBlockBytes)
///   12   4     recordCount N (at least 1)
///   16   8     i64 firstReceiveNs: receiveNs of the block's first record
///   24   8     i64 lastReceiveNs: receiveNs of the block's last record (first/last let a player
///              seek by time without decompressing)
///   32   4     dataCrc: CRC32 of the C compressed bytes
///   36   4     frameCrc: CRC32 of bytes [0, 36) of this frame
///   40   C     one zstd frame; it decompresses to exactly R bytes
///
/// The frame header has its own CRC so that lengths are trusted before they are used: a flipped
/// bit in compressedLength must not send the reader far away or make a sound block look like a
/// torn tail. The sync word alone could also occur inside compressed data; a sync word followed
/// by a matching frameCrc is a frame with probability 1 - 2^-32.
///
/// Raw block (after decompression): N records back to back, exactly filling R bytes:
///   0    1     kind (RecordKind: 1 WsMessage, 2 RestSnapshot, 3 Connected, 4 Disconnected,
///              5 StreamConnected, 6 StreamDisconnected: added without a new version)
///   1    8     i64 receiveNs (ns since the Unix epoch)
///   9    4     payloadLength L
///   13   L     payload bytes, verbatim (L may be 0)
/// Records carry no CRC of their own: the block is compressed as one zstd frame, so damage
/// anywhere in it is caught by dataCrc and destroys the whole block anyway (zstd cannot resume
/// inside a frame). A per-record CRC could never save a record that the block CRC loses; it
/// would only cost 4 bytes and a pass over the data per record. A reader validates the whole raw
/// block (count and lengths add up to R) before handing out any record, so a block is delivered
/// whole or not at all. Records of a kind the reader does not know are skipped (with a warning),
/// so kinds can be added without a new version.
///
/// Writing rules (what a reader may rely on): a record larger than the block size is written in
/// a block of its own; each frame is handed to the OS in one write(), so a crash leaves complete
/// frames followed by at most one partial frame (the torn tail). An empty recording is a header
/// alone.
///
/// Reading rules: the file ending inside a frame (fewer than 40 bytes left, or a frame whose
/// header checks out but whose data runs past the end) is a torn tail: warn and end cleanly.
/// A frame whose header or data fails its CRC, whose zstd data does not decompress to R bytes,
/// or whose records do not add up, is corrupt: warn, then scan forward byte by byte for a sync
/// word followed by a valid frameCrc and go on from there. The scan starts one byte after the bad
/// frame's start when its header is bad, or right after its data when only the data is bad.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include <zlib.h>

namespace flowscope::record::format {

inline constexpr std::array<char, 8> kMagic = {'F', 'L', 'O', 'W', 'R', 'E', 'C', '\x01'};
inline constexpr std::uint32_t kFormatVersion = 1;
inline constexpr std::size_t kFileHeaderFixedBytes = 16;  ///< magic, version, bodyLength
inline constexpr std::size_t kMaxHeaderBody = 1 << 20;    ///< a sanity bound against garbage
inline constexpr std::size_t kMaxHeaderString = 0xFFFF;   ///< u16 length prefix

inline constexpr std::array<char, 4> kSync = {'F', 'B', 'L', 'K'};
inline constexpr std::size_t kFrameHeaderBytes = 40;
inline constexpr std::size_t kFrameCrcOffset = 36;  ///< frameCrc covers [0, kFrameCrcOffset)
inline constexpr std::size_t kRecordHeaderBytes = 13;
/// Bounds a reader enforces before allocating; the writer never produces more.
inline constexpr std::size_t kMaxRawBlockBytes = std::size_t{1} << 30;
inline constexpr std::size_t kMaxCompressedBlockBytes =
    kMaxRawBlockBytes + (kMaxRawBlockBytes >> 7);
inline constexpr std::size_t kMaxPayloadBytes = kMaxRawBlockBytes - kRecordHeaderBytes;

/// The fields of a block frame header (see the table above).
struct FrameHeader {
    std::uint32_t compressedLength = 0;
    std::uint32_t rawLength = 0;
    std::uint32_t recordCount = 0;
    std::int64_t firstReceiveNs = 0;
    std::int64_t lastReceiveNs = 0;
    std::uint32_t dataCrc = 0;
};

// Little-endian encoding, byte by byte, so the layout does not depend on the host.
inline void putU16(unsigned char* p, std::uint16_t v) {
    p[0] = static_cast<unsigned char>(v);
    p[1] = static_cast<unsigned char>(v >> 8);
}
inline void putU32(unsigned char* p, std::uint32_t v) {
    for (int i = 0; i < 4; ++i)
        p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline void putU64(unsigned char* p, std::uint64_t v) {
    for (int i = 0; i < 8; ++i)
        p[i] = static_cast<unsigned char>(v >> (8 * i));
}
inline void putI64(unsigned char* p, std::int64_t v) {
    putU64(p, static_cast<std::uint64_t>(v));
}

inline std::uint16_t getU16(const unsigned char* p) {
    return static_cast<std::uint16_t>(p[0] | (p[1] << 8));
}
inline std::uint32_t getU32(const unsigned char* p) {
    std::uint32_t v = 0;
    for (int i = 3; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}
inline std::uint64_t getU64(const unsigned char* p) {
    std::uint64_t v = 0;
    for (int i = 7; i >= 0; --i)
        v = (v << 8) | p[i];
    return v;
}
inline std::int64_t getI64(const unsigned char* p) {
    return static_cast<std::int64_t>(getU64(p));
}

/// Writes the frame header fields except frameCrc (bytes [0, kFrameCrcOffset)).
inline void encodeFrameFields(unsigned char* p, const FrameHeader& h) {
    std::memcpy(p, kSync.data(), kSync.size());
    putU32(p + 4, h.compressedLength);
    putU32(p + 8, h.rawLength);
    putU32(p + 12, h.recordCount);
    putI64(p + 16, h.firstReceiveNs);
    putI64(p + 24, h.lastReceiveNs);
    putU32(p + 32, h.dataCrc);
}

inline FrameHeader decodeFrameFields(const unsigned char* p) {
    FrameHeader h;
    h.compressedLength = getU32(p + 4);
    h.rawLength = getU32(p + 8);
    h.recordCount = getU32(p + 12);
    h.firstReceiveNs = getI64(p + 16);
    h.lastReceiveNs = getI64(p + 24);
    h.dataCrc = getU32(p + 32);
    return h;
}

/// Lengths a writer could have produced; checked after frameCrc, before anything is allocated.
inline bool plausible(const FrameHeader& h) {
    return h.recordCount >= 1 && h.rawLength <= kMaxRawBlockBytes &&
           h.compressedLength <= kMaxCompressedBlockBytes &&
           std::uint64_t{h.recordCount} * kRecordHeaderBytes <= h.rawLength;
}

/// zlib's CRC32 over any length (crc32() takes a 32-bit length).
inline std::uint32_t crc32Of(const void* data, std::size_t size) {
    return static_cast<std::uint32_t>(
        ::crc32_z(0L, static_cast<const Bytef*>(data), static_cast<z_size_t>(size)));
}

/// The kinds this version defines; a reader skips others (see "Raw block" above).
inline bool isKnownKind(std::uint8_t kind) {
    return kind >= 1 && kind <= 6;
}

inline bool startsWithSync(const unsigned char* p) {
    return std::memcmp(p, kSync.data(), kSync.size()) == 0;
}

}  // namespace flowscope::record::format
