#pragma once
/// HTTPS requests over the same stack as the WebSocket (Beast + OpenSSL), for venue REST snapshots
/// and signed order entry. Same verification rules: certificate chain and host name, always, on
/// every connection (a reconnect verifies again).
///
/// Persistent connections (setKeepAlive, off by default): after a complete response the TLS
/// connection stays open for the next request to the same host and port, so a request on it is
/// written at once instead of after a TCP + TLS handshake. warmUp() opens one ahead of the first
/// request. The rules:
/// - Kept only after a whole response that allows it: not after `Connection: close` from the
///   server, a body that ends at EOF, stray bytes after the response, an error, a timeout or a
///   cancel() once the request was written.
/// - While idle, one read stays posted on the connection: a close, a reset or a stray byte from
///   the server ends it there and then, so the next request opens a fresh one instead of writing
///   into a dead one. Closed by us after `idleTimeoutNs` without a request.
/// - A server may still close an idle connection just as a request goes out (HTTP/1.1 has no
///   way to rule it out). When the write fails, or the connection ends before the first byte of
///   the response, on a connection that was idle before this request: a GET or HEAD is sent once
///   more on a fresh connection (safe to repeat, and no response byte was seen). Any other
///   method is never re-sent: it may have reached the server, so the failure is reported with
///   the error saying so, and the caller settles the outcome (the Binance order entry asks
///   GET /api/v3/order by client order id about a POST order). That includes DELETE: HTTP calls
///   it idempotent, but a repeated Binance cancel answers -2011 for the order the first one
///   cancelled, which would read as a refused cancel.
///
/// Threading: every call and callback on the EventLoop's thread.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "book/types.h"
#include "net/event_loop.h"
#include "net/tls_config.h"
#include "net/url.h"

namespace flowscope::net {

struct HttpResponse {
    int status = 0;  ///< HTTP status; 0 when the request failed before a response
    std::string body;
    std::string error;  ///< why it failed (connect, TLS, timeout, body too large); empty on success
    TimeNs receiveNs = 0;  ///< wall clock (epoch ns) when the body was complete
    /// Response header fields as received (venues report rate-limit use in them).
    std::vector<std::pair<std::string, std::string>> headers;
    /// Steady clock (ns since its epoch) just before the request's write was issued on a
    /// connection whose TLS handshake was done, and when that write completed (the handler ran:
    /// every byte was in the socket by then); 0 when it did not get that far.
    TimeNs writeIssuedSteadyNs = 0;
    TimeNs writtenSteadyNs = 0;
    /// Written on a connection that was already open (handshake done) when the request came.
    bool reusedConnection = false;

    /// The first header named `name` (case-insensitive), or null.
    const std::string* header(std::string_view name) const;
};

struct HttpRequest {
    std::string method = "GET";  ///< GET, POST, DELETE, PUT
    Url url;
    std::vector<std::pair<std::string, std::string>> headers;  ///< extra headers (API keys)
    std::string body;                                          ///< sent as-is when not empty
    std::string contentType = "application/x-www-form-urlencoded";
};

class HttpsClient {
  public:
    using Callback = std::function<void(HttpResponse response)>;

    /// Idle connections are closed after this long: shorter than the keep-alive limits servers
    /// and load balancers commonly apply (nginx 75 s, AWS load balancers 60 s), so normally we
    /// close first; when the server closes first, the read posted while idle notices at once.
    static constexpr TimeNs kDefaultIdleTimeoutNs = 30'000'000'000;

    struct Stats {
        std::uint64_t connectionsOpened = 0;  ///< TCP connects started (request or warm-up)
        std::uint64_t handshakes = 0;         ///< TLS handshakes completed
        std::uint64_t reusedRequests = 0;     ///< requests written on an already open connection
        std::uint64_t retries = 0;            ///< GETs sent again after a stale connection
        std::uint64_t idleClosed = 0;  ///< idle connections ended (server close, idle timeout)
    };

    HttpsClient(EventLoop& loop, TlsConfig tls);
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    /// GET `url`; `done` runs exactly once (success, failure or timeout), unless cancel() is
    /// called first. One request at a time: a new get() cancels the previous one. `done` always
    /// runs from the loop (never inside get()) and may start the next request or destroy the
    /// client. Any HTTP status is a response (error empty); `timeoutNs` covers the whole exchange
    /// (waiting for a connection, a retry included).
    void get(const Url& url, Callback done, TimeNs timeoutNs = 10'000'000'000);
    /// Any method with headers and body (signed venue REST calls); same rules as get().
    void request(HttpRequest request, Callback done, TimeNs timeoutNs = 10'000'000'000);
    /// Drops the request in flight (its callback will not run). A connection it had written on
    /// is closed; one still being opened is kept for the next request.
    void cancel();

    /// Keeps connections open between requests (see the file comment); `idleTimeoutNs` > 0.
    /// Off by default: every request then has its own connection ("Connection: close").
    void setKeepAlive(bool on, TimeNs idleTimeoutNs = kDefaultIdleTimeoutNs);
    /// Opens a connection to `url`'s host and port ahead of the next request (keep-alive only;
    /// nothing when one to that origin is open or being opened). A request arriving meanwhile
    /// waits for this handshake instead of starting another. Failures are silent: the next
    /// request connects on its own and reports them.
    void warmUp(const Url& url);
    /// With keep-alive, opens a new connection to the same origin whenever the idle one closes
    /// (server close or idle timeout), so a request rarely waits for a handshake. A connection
    /// that lived less than a second is not replaced (a server that closes at once would
    /// otherwise be dialled in a loop); the next request connects as usual.
    void setKeepWarm(bool on);

    /// Largest response body accepted (a bigger one is an error). Default 16 MiB
    /// (kMaxRecordBytes, what a recording keeps).
    void setMaxBodyBytes(std::size_t bytes);

    const Stats& stats() const;

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace flowscope::net
