#pragma once
/// HTTPS GET over the same stack as the WebSocket (Beast + OpenSSL), for venue REST snapshots.
/// Same verification rules: certificate chain and host name, always.
///
/// Threading: every call and callback on the EventLoop's thread.

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

    HttpsClient(EventLoop& loop, TlsConfig tls);
    ~HttpsClient();
    HttpsClient(const HttpsClient&) = delete;
    HttpsClient& operator=(const HttpsClient&) = delete;

    /// GET `url`; `done` runs exactly once (success, failure or timeout), unless cancel() is
    /// called first. One request at a time: a new get() cancels the previous one. `done` always
    /// runs from the loop (never inside get()) and may start the next request or destroy the
    /// client. Any HTTP status is a response (error empty); `timeoutNs` covers the whole exchange.
    void get(const Url& url, Callback done, TimeNs timeoutNs = 10'000'000'000);
    /// Any method with headers and body (signed venue REST calls); same rules as get().
    void request(HttpRequest request, Callback done, TimeNs timeoutNs = 10'000'000'000);
    void cancel();

    /// Largest response body accepted (a bigger one is an error). Default 64 MiB.
    void setMaxBodyBytes(std::size_t bytes);

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace flowscope::net
