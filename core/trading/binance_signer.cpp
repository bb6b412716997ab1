#include "trading/binance_signer.h"

#include <openssl/core_names.h>
#include <openssl/evp.h>
#include <openssl/params.h>

#include <array>
#include <memory>
#include <stdexcept>

namespace flowscope::trading {

namespace {

struct MacDeleter {
    void operator()(EVP_MAC* mac) const { EVP_MAC_free(mac); }
    void operator()(EVP_MAC_CTX* ctx) const { EVP_MAC_CTX_free(ctx); }
};

}  // namespace

std::string hmacSha256Hex(std::string_view secret, std::string_view payload) {
    std::unique_ptr<EVP_MAC, MacDeleter> mac(EVP_MAC_fetch(nullptr, "HMAC", nullptr));
    if (!mac) throw std::runtime_error("OpenSSL: HMAC is not available");
    std::unique_ptr<EVP_MAC_CTX, MacDeleter> ctx(EVP_MAC_CTX_new(mac.get()));
    if (!ctx) throw std::runtime_error("OpenSSL: cannot create an HMAC context");
    char digest[] = "SHA256";
    const OSSL_PARAM params[] = {OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, digest, 0),
                                 OSSL_PARAM_END};
    std::array<unsigned char, 32> out{};
    std::size_t outLength = 0;
    const auto* key = reinterpret_cast<const unsigned char*>(secret.data());
    const auto* data = reinterpret_cast<const unsigned char*>(payload.data());
    if (EVP_MAC_init(ctx.get(), key, secret.size(), params) != 1 ||
        EVP_MAC_update(ctx.get(), data, payload.size()) != 1 ||
        EVP_MAC_final(ctx.get(), out.data(), &outLength, out.size()) != 1 ||
        outLength != out.size())
        throw std::runtime_error("OpenSSL: HMAC-SHA256 failed");
    static constexpr char kHex[] = "0123456789abcdef";
    std::string hex;
    hex.reserve(2 * out.size());
    for (const unsigned char byte : out) {
        hex += kHex[byte >> 4];
        hex += kHex[byte & 0x0f];
    }
    return hex;
}

std::string signBinanceQuery(std::string_view query, std::string_view secret) {
    std::string signedQuery(query);
    signedQuery += "&signature=";
    signedQuery += hmacSha256Hex(secret, query);
    return signedQuery;
}

}  // namespace flowscope::trading
