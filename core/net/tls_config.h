#pragma once

#include <string>

namespace flowscope::net {

/// Whom a TLS client trusts. Certificates and host names are always verified; there is no
/// switch to turn that off.
struct TlsConfig {
    std::string caFile;  ///< PEM bundle to trust instead of the system store; empty: system store
};

}  // namespace flowscope::net
