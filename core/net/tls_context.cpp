#include "net/tls_context.h"

#include <filesystem>

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509_vfy.h>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ssl/error.hpp>

#include "io/text_excerpt.h"

namespace flowscope::net {

namespace ssl = boost::asio::ssl;

std::shared_ptr<ssl::context> makeClientTlsContext(const TlsConfig& tls, std::string& error) {
    auto context = std::make_shared<ssl::context>(ssl::context::tls_client);
    // TLS 1.0/1.1 are deprecated (RFC 8996); every venue speaks 1.2 or 1.3.
    if (SSL_CTX_set_min_proto_version(context->native_handle(), TLS1_2_VERSION) != 1) {
        error = "cannot require TLS 1.2";
        return nullptr;
    }
    context->set_verify_mode(ssl::verify_peer);
    boost::system::error_code ec;
    if (tls.caFile.empty()) {
        context->set_default_verify_paths(ec);
        if (ec) {
            error = "cannot load the system certificate store: " + ec.message();
            return nullptr;
        }
        return context;
    }
    std::error_code fsError;
    if (!std::filesystem::is_regular_file(tls.caFile, fsError)) {
        error = "CA file " + quoteExcerpt(tls.caFile, 256) + " does not exist or is not a file";
        return nullptr;
    }
    context->load_verify_file(tls.caFile, ec);
    if (ec) {
        error = "cannot load CA file " + quoteExcerpt(tls.caFile, 256) + ": " + ec.message();
        return nullptr;
    }
    return context;
}

std::string checkCaFile(const std::string& caFile) {
    std::string error;
    if (caFile.empty()) return "no file named";
    const auto context = makeClientTlsContext(TlsConfig{caFile}, error);
    if (!context) return error;
    X509_STORE* store = SSL_CTX_get_cert_store(context->native_handle());
    if (!store || sk_X509_OBJECT_num(X509_STORE_get0_objects(store)) <= 0)
        return quoteExcerpt(caFile, 256) + " holds no certificate";
    return {};
}

bool prepareClientTls(SSL* ssl, const std::string& host, std::string& error) {
    // OpenSSL's own host check (rather than a verify callback such as ssl::host_name_verification)
    // records X509_V_ERR_HOSTNAME_MISMATCH in the verify result, so the user reads "hostname
    // mismatch" instead of a bare "certificate verify failed".
    X509_VERIFY_PARAM* param = SSL_get0_param(ssl);
    X509_VERIFY_PARAM_set_hostflags(param, X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS);
    boost::system::error_code notAnAddress;
    boost::asio::ip::make_address(host, notAnAddress);
    if (!notAnAddress) {
        if (X509_VERIFY_PARAM_set1_ip_asc(param, host.c_str()) != 1) {
            error = "cannot check the certificate for IP address " + host;
            return false;
        }
        return true;
    }
    if (SSL_set_tlsext_host_name(ssl, host.c_str()) != 1) {
        error = "cannot set TLS server name (SNI) " + host;
        return false;
    }
    if (X509_VERIFY_PARAM_set1_host(param, host.c_str(), host.size()) != 1) {
        error = "cannot check the certificate for host name " + host;
        return false;
    }
    return true;
}

std::string describeTlsError(const boost::system::error_code& ec, const SSL* ssl) {
    if (ec == ssl::error::stream_truncated) {
        return "connection closed without TLS close_notify (stream truncated)";
    }
    if (ec.category() != boost::asio::error::get_ssl_category()) return ec.message();
    // Asio's message appends OpenSSL's library name ("(SSL routines)"), which helps nobody; the
    // reason alone plus the verify result says what to fix.
    const char* reason = ERR_reason_error_string(static_cast<unsigned long>(ec.value()));
    std::string text = reason ? reason : ec.message();
    const long verifyResult = ssl ? SSL_get_verify_result(ssl) : X509_V_OK;
    if (verifyResult != X509_V_OK) {
        text += " (";
        text += X509_verify_cert_error_string(verifyResult);
        text += ")";
    }
    return text;
}

}  // namespace flowscope::net
