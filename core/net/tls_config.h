#pragma once

#include <string>

namespace flowscope::net {

/// Whom a TLS client trusts. Certificates and host names are always verified; there is no
/// switch to turn that off.
struct TlsConfig {
    std::string caFile;  ///< PEM bundle to trust instead of the system store; empty: system store
};

/// Empty when `caFile` is a file the TLS client can trust (a PEM bundle holding at least one
/// certificate, loaded the same way a connection loads it); otherwise why not. For front ends
/// that want a wrong --ca-file to be a usage error before any connection is tried.
std::string checkCaFile(const std::string& caFile);

}  // namespace flowscope::net
