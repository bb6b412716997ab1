#include "test_tls.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <stdexcept>

namespace flowscope::testing {

namespace {

void run(const std::string& command, const std::string& dir) {
    const std::string full = "cd '" + dir + "' && " + command + " >>openssl.log 2>&1";
    if (std::system(full.c_str()) != 0) {
        std::ifstream log(dir + "/openssl.log");
        const std::string text((std::istreambuf_iterator<char>(log)), {});
        throw std::runtime_error("openssl failed: " + command + "\n" + text);
    }
}

}  // namespace

TestTls::TestTls() {
    char pattern[] = "/tmp/flowscope-tls-XXXXXX";
    if (!mkdtemp(pattern)) throw std::runtime_error("mkdtemp failed");
    dir = pattern;
    // EC keys: fast to generate, so every test can make its own.
    const std::string ecKey = "openssl ecparam -name prime256v1 -genkey -noout -out ";
    run(ecKey + "ca.key", dir);
    run("openssl req -x509 -new -key ca.key -sha256 -days 2 -subj '/CN=Flowscope Test CA' "
        "-addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign "
        "-out ca.pem",
        dir);
    run(ecKey + "server.key", dir);
    run("openssl req -new -key server.key -subj '/CN=localhost' -out server.csr", dir);
    {
        std::ofstream ext(dir + "/server.ext");
        ext << "basicConstraints=CA:FALSE\n"
               "keyUsage=digitalSignature\n"
               "extendedKeyUsage=serverAuth\n"
               "subjectAltName=DNS:localhost,IP:127.0.0.1\n";
    }
    run("openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 "
        "-sha256 -extfile server.ext -out server.pem",
        dir);
    run(ecKey + "other.key", dir);
    run("openssl req -x509 -new -key other.key -sha256 -days 2 -subj '/CN=Someone Else CA' "
        "-out other.pem",
        dir);
    caCert = dir + "/ca.pem";
    serverCert = dir + "/server.pem";
    serverKey = dir + "/server.key";
    otherCaCert = dir + "/other.pem";
}

TestTls::~TestTls() {
    std::error_code ignored;
    std::filesystem::remove_all(dir, ignored);
}

}  // namespace flowscope::testing
