#pragma once
/// The client half of TLS that WebSocketConnection and HttpsClient share: one way to build the
/// context, one way to pin a connection to its host, one way to say why a handshake failed. Private
/// to core/net/*.cpp (it includes Asio's SSL headers).
///
/// Verification is never optional here: every context verifies the peer's chain, and every
/// connection checks that the certificate names the host it dialled.

#include <memory>
#include <string>

#include <boost/asio/ssl/context.hpp>
#include <boost/system/error_code.hpp>

#include "net/tls_config.h"

namespace flowscope::net {

/// A TLS 1.2+ client context with verify_peer, trusting `tls.caFile` when set or the system store
/// otherwise. nullptr with `error` ("cannot load CA file '/x': ...") when that fails.
std::shared_ptr<boost::asio::ssl::context> makeClientTlsContext(const TlsConfig& tls,
                                                                std::string& error);

/// Prepares one connection's SSL object for `host`: sends SNI for a DNS name (RFC 6066 forbids IP
/// literals there) and makes the handshake fail unless the certificate names `host` (DNS name, or
/// IP address for a literal). Returns false with `error` if OpenSSL refuses the settings.
bool prepareClientTls(SSL* ssl, const std::string& host, std::string& error);

/// Why a TLS operation failed, as precisely as OpenSSL knows: "certificate verify failed (hostname
/// mismatch)", "certificate verify failed (unable to get local issuer certificate)", "wrong version
/// number", "connection closed without TLS close_notify (stream truncated)".
std::string describeTlsError(const boost::system::error_code& ec, const SSL* ssl);

}  // namespace flowscope::net
