#pragma once
/// A real TLS server on 127.0.0.1 for transport tests: Boost.Beast on its own thread and
/// io_context, so the client under test runs on the test thread's EventLoop exactly as it does in
/// the feed thread. It speaks WebSocket (echo, pushes, pings, close codes, abrupt drops) and HTTPS
/// (a canned status and body per target, optionally late).
///
/// Threading: every public function may be called from the test thread; commands run on the
/// server thread, observations are copied out under a lock.

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "book/types.h"
#include "net/event_loop.h"

namespace flowscope::testing {

struct HttpRoute {
    int status = 200;
    std::string body;
    int delayMs = 0;  ///< the response leaves this long after the request arrived
};

struct SeenHttpRequest {
    std::string method;
    std::string target;
    std::string body;
    std::vector<std::pair<std::string, std::string>> headers;
    /// The value of header `name` (case-insensitive), empty when absent.
    std::string header(const std::string& name) const;
};

class LoopbackTlsServer {
  public:
    struct Options {
        std::string certFile;                 ///< PEM chain the server presents
        std::string keyFile;                  ///< its private key
        std::string webSocketTarget = "/ws";  ///< upgrades elsewhere get 404, as a venue would
        /// Sent to every WebSocket client right after the upgrade, in order.
        std::vector<std::string> pushOnOpen;
        bool echo = true;  ///< send every received message back
        /// false: never read after the upgrade, so the client's pings go unanswered (a hung peer).
        bool readMessages = true;
        /// false: accept TCP and then say nothing at all (the client hangs in the TLS handshake).
        bool speakTls = true;
    };

    explicit LoopbackTlsServer(Options options);
    /// Stops the thread; open connections are cut without close frames (a killed process).
    ~LoopbackTlsServer();
    LoopbackTlsServer(const LoopbackTlsServer&) = delete;
    LoopbackTlsServer& operator=(const LoopbackTlsServer&) = delete;

    std::uint16_t port() const;
    /// "wss://localhost:<port><target>" (the name the test certificate carries).
    std::string webSocketUrl() const;
    std::string httpsUrl(const std::string& target) const;

    void setRoute(const std::string& target, HttpRoute route);

    // Commands to every open WebSocket session; queued behind what each session is sending.
    void pushToAll(std::string message);
    void pingAll();
    void closeAll(std::uint16_t code, std::string reason = {});
    /// Closes the TCP sockets at once: no close frame, no TLS close_notify.
    void dropAll();

    // What the server saw so far.
    std::vector<std::string> receivedMessages() const;
    int upgradesAccepted() const;
    int openSessions() const;
    int pongsReceived() const;
    int pingsReceived() const;
    std::vector<int> closeCodesReceived() const;  ///< codes of close frames sent by clients
    std::string lastUpgradeHostHeader() const;
    std::optional<SeenHttpRequest> lastHttpRequest() const;
    int tcpConnectionsAccepted() const;

    class Impl;

  private:
    std::unique_ptr<Impl> impl_;
};

/// A loopback port nobody listens on (bound, read, released): connecting to it is refused.
std::uint16_t unusedLoopbackPort();

/// Runs `loop` until `done()` holds or `timeoutNs` passes; returns done().
bool runLoopUntil(net::EventLoop& loop, const std::function<bool()>& done,
                  TimeNs timeoutNs = 3'000'000'000);
/// Runs `loop` for `durationNs` (to show that something does not happen).
void runLoopFor(net::EventLoop& loop, TimeNs durationNs);

}  // namespace flowscope::testing
