#pragma once
/// Throw-away TLS material for tests that talk to loopback servers: a private certificate
/// authority and a server certificate it signed for "localhost" and 127.0.0.1, generated with the
/// openssl command at run time (no key ever lives in the repository).

#include <string>

namespace flowscope::testing {

struct TestTls {
    std::string dir;         ///< temporary directory holding the files (removed by the destructor)
    std::string caCert;      ///< PEM of the CA the client should trust (--ca-file)
    std::string serverCert;  ///< PEM chain of the server certificate
    std::string serverKey;   ///< PEM private key of the server
    /// A second, unrelated CA: a client trusting only this must refuse the server.
    std::string otherCaCert;

    /// Generates everything; throws std::runtime_error with openssl's complaint when it fails.
    TestTls();
    ~TestTls();
    TestTls(const TestTls&) = delete;
    TestTls& operator=(const TestTls&) = delete;
};

}  // namespace flowscope::testing
