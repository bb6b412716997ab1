#include "net/https_client.h"

#include <algorithm>
#include <cctype>

#include <chrono>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "io/input_limits.h"
#include "net/asio_impl.h"
#include "net/https_connection.h"
#include "net/tls_context.h"

namespace flowscope::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

/// The same bound as a recorded record (a REST snapshot is recorded too).
constexpr std::size_t kDefaultMaxBodyBytes = kMaxRecordBytes;
/// Venue responses carry a few cookies and rate-limit headers; Beast's default (8 KiB) is tight.
constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;
constexpr std::uint16_t kDefaultTlsPort = 443;
/// setKeepWarm(): an idle connection that lived less than this is not replaced.
constexpr TimeNs kMinWarmLifetimeNs = 1'000'000'000;

std::string durationText(TimeNs ns) {
    const TimeNs ms = ns / 1'000'000;
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}

/// The peer closed or reset the connection (as a server does with an idle one).
bool connectionGone(const error_code& ec) {
    return ec == asio::error::eof || ec == http::error::end_of_stream ||
           ec == asio::error::connection_reset || ec == asio::error::connection_aborted ||
           ec == asio::error::broken_pipe || ec == ssl::error::stream_truncated;
}

}  // namespace

struct HttpsClient::Impl : std::enable_shared_from_this<HttpsClient::Impl> {
    class Operation;

    Impl(EventLoop& loop, TlsConfig tlsConfig) : io(loop.impl().io), tls(std::move(tlsConfig)) {}

    /// Forgets the request in flight (its callback will not run) and any failure already posted.
    void dropOperation();
    /// Builds the TLS context on first use; false with `error` when it cannot be built.
    bool ensureTlsContext(std::string& error);
    /// The idle (or opening) connection to host:port, taken out of its slot; null when there is
    /// none fit for a request. Another idle connection is closed.
    std::shared_ptr<HttpsConnection> takeConnection(const std::string& host, std::uint16_t port);
    /// A new connection to host:port, already dialling.
    std::shared_ptr<HttpsConnection> openConnection(const std::string& host, std::uint16_t port);
    /// Makes `connection` (a whole response read, nothing left over) the idle one.
    void park(std::shared_ptr<HttpsConnection> connection);
    /// Opens a connection to host:port into the idle slot (replacing what was there).
    void warm(const std::string& host, std::uint16_t port);
    void closeIdle();
    /// The idle connection ended on its own (server close, idle timeout): forget it, and
    /// replace it when keeping warm.
    void onIdleClosed(const HttpsConnection& connection);

    asio::io_context& io;
    TlsConfig tls;
    std::size_t maxBodyBytes = kDefaultMaxBodyBytes;
    std::shared_ptr<ssl::context> sslContext;  ///< built by the first request that needs it
    std::shared_ptr<Operation> operation;      ///< the request in flight, if any
    std::shared_ptr<HttpsConnection> idle;     ///< open (or opening) with no request on it, if any
    std::uint64_t requestCount = 0;            ///< bumped by every request and cancel()
    bool keepAlive = false;
    bool keepWarm = false;
    TimeNs idleTimeoutNs = kDefaultIdleTimeoutNs;
    Stats stats;
};

/// One request from taking (or opening) a connection to the last byte of the response. One
/// deadline covers every step, a retry included. Keeps itself alive through its pending
/// handlers, so cancel() or destroying the client at any step is safe. Handlers of an attempt
/// given up (a retry started) carry its number and are ignored.
class HttpsClient::Impl::Operation : public std::enable_shared_from_this<Operation> {
  public:
    Operation(const std::shared_ptr<Impl>& owner, HttpRequest request, http::verb verb,
              Callback done)
        : owner_(owner),
          url_(std::move(request.url)),
          deadline_(owner->io),
          done_(std::move(done)),
          repeatable_(verb == http::verb::get || verb == http::verb::head) {
        request_.method(verb);
        request_.target(url_.target);
        request_.version(11);
        request_.set(http::field::host,
                     url_.port == kDefaultTlsPort
                         ? bracketed(url_.host)
                         : bracketed(url_.host) + ":" + std::to_string(url_.port));
        request_.set(http::field::user_agent, "flowscope");
        request_.set(http::field::accept, "*/*");
        request_.keep_alive(owner->keepAlive);
        for (auto& [name, value] : request.headers)
            request_.set(name, value);
        if (!request.body.empty()) request_.set(http::field::content_type, request.contentType);
        request_.body() = std::move(request.body);
        request_.prepare_payload();
        maxBodyBytes_ = owner->maxBodyBytes;
        parser_.emplace();
        parser_->body_limit(maxBodyBytes_);
        parser_->header_limit(kMaxHeaderBytes);
        // A HEAD response announces a body it does not carry.
        parser_->skip(verb == http::verb::head);
    }

    void start(TimeNs timeoutNs) {
        timeoutNs_ = timeoutNs;
        deadline_.expires_after(std::chrono::nanoseconds(timeoutNs));
        deadline_.async_wait([self = shared_from_this()](const error_code& ec) {
            if (ec || self->finished_) return;
            self->fail(self->url_.toString() + ": timed out after " +
                       durationText(self->timeoutNs_) + " " + self->phase());
        });
        acquireConnection(false);
    }

    /// Silent end: the owner no longer wants the answer.
    void cancel() {
        finished_ = true;
        done_ = nullptr;
        deadline_.cancel();
        release(true);
    }

    /// True while this request uses (or waits for) a connection to host:port.
    bool uses(const std::string& host, std::uint16_t port) const {
        return connection_ && connection_->matches(host, port);
    }

  private:
    std::string phase() const {
        if (connection_ && connection_->state() == HttpsConnection::State::Opening)
            return connection_->phase();
        return phase_;
    }

    void acquireConnection(bool fresh) {
        const auto owner = owner_.lock();
        if (!owner) return;
        reused_ = false;
        if (!fresh) connection_ = owner->takeConnection(url_.host, url_.port);
        if (connection_) {
            reused_ = connection_->state() == HttpsConnection::State::Open;
        } else {
            connection_ = owner->openConnection(url_.host, url_.port);
        }
        connection_->hold();
        if (reused_) return send();
        phase_ = "waiting for the connection";
        connection_->whenReady(
            [self = shared_from_this(), attempt = attempt_](const std::string& error) {
                if (self->finished_ || attempt != self->attempt_) return;
                if (!error.empty()) return self->fail(error);
                self->send();
            });
    }

    void send() {
        if (const auto owner = owner_.lock(); owner && reused_) ++owner->stats.reusedRequests;
        phase_ = "sending the request";
        const auto self = shared_from_this();
        connection_->onRead([self, attempt = attempt_](const error_code& ec) {
            if (self->finished_ || attempt != self->attempt_) return;
            self->onFirstBytes(ec);
        });
        writeIssuedSteadyNs_ = steadyNowNs();
        http::async_write(connection_->stream(), request_,
                          [self, attempt = attempt_](const error_code& ec, std::size_t) {
                              if (self->finished_ || attempt != self->attempt_) return;
                              self->onWrite(ec);
                          });
    }

    void onWrite(const error_code& ec) {
        if (ec) return lost("sending the request to " + url_.host, ec);
        writtenSteadyNs_ = steadyNowNs();
        phase_ = "waiting for the response";
        if (firstBytes_) readResponse();
    }

    /// The connection's posted read completed: the response begins, or the connection ended.
    void onFirstBytes(const error_code& ec) {
        if (ec) return lost("reading the response from " + url_.host, ec);
        firstBytes_ = true;
        if (writtenSteadyNs_ != 0) readResponse();
    }

    void readResponse() {
        http::async_read(
            connection_->stream(), connection_->buffer(), *parser_,
            [self = shared_from_this(), attempt = attempt_](const error_code& ec, std::size_t) {
                if (self->finished_ || attempt != self->attempt_) return;
                self->onRead(ec);
            });
    }

    /// The connection failed before any byte of the response. Sent again only when that is
    /// safe: a GET or HEAD, on a connection that sat idle before it (the server may have closed
    /// it meanwhile), once. See the rule in https_client.h.
    void lost(const std::string& where, const error_code& ec) {
        const bool gone = connectionGone(ec);
        if (gone && reused_ && repeatable_ && !retried_) {
            if (const auto owner = owner_.lock()) ++owner->stats.retries;
            retried_ = true;
            release(false);
            ++attempt_;
            firstBytes_ = false;
            writeIssuedSteadyNs_ = 0;
            writtenSteadyNs_ = 0;
            return acquireConnection(true);
        }
        std::string error = where + ": " + describe(ec);
        if (gone && reused_) {
            error +=
                " (on a connection kept open from an earlier request; not sent again: it may "
                "have reached the server)";
        }
        fail(std::move(error));
    }

    void onRead(const error_code& ec) {
        if (ec == http::error::body_limit) {
            return fail(url_.toString() + ": response body larger than the " +
                        std::to_string(maxBodyBytes_) + "-byte limit");
        }
        if (ec == http::error::header_limit) {
            return fail(url_.toString() + ": response headers larger than " +
                        std::to_string(kMaxHeaderBytes) + " bytes");
        }
        if (ec) return fail("reading the response from " + url_.host + ": " + describe(ec));
        HttpResponse response;
        response.receiveNs = wallNowNs();
        // The parser's keep_alive() is false for `Connection: close`, HTTP/1.0 without
        // keep-alive, and a body that ends at EOF.
        const bool serverKeeps = parser_->keep_alive();
        auto message = parser_->release();
        response.status = static_cast<int>(message.result_int());
        for (const auto& field : message.base()) {
            response.headers.emplace_back(std::string(field.name_string()),
                                          std::string(field.value()));
        }
        response.body = std::move(message.body());
        auto connection = std::move(connection_);
        connection_.reset();
        connection->clearHandlers();
        const auto owner = owner_.lock();
        if (owner && owner->keepAlive && serverKeeps && connection->usable()) {
            owner->park(std::move(connection));
        } else {
            connection->close();
            if (owner && owner->keepAlive && owner->keepWarm && !owner->idle)
                owner->warm(url_.host, url_.port);
        }
        finish(std::move(response));
    }

    std::string describe(const error_code& ec) {
        // A clean close before the response ended; a close without close_notify is a TLS
        // truncation, which describeTlsError names.
        if (ec == http::error::end_of_stream || ec == asio::error::eof) {
            return "connection closed before the response was complete";
        }
        return describeTlsError(ec, connection_ ? connection_->stream().native_handle() : nullptr);
    }

    void fail(std::string error) {
        HttpResponse response;
        response.error = std::move(error);
        finish(std::move(response));
    }

    /// Lets go of the connection: closed once the request was written on it (its answer would
    /// be read by nobody), otherwise, when `keepUnwritten`, left for the next request.
    void release(bool keepUnwritten) {
        if (!connection_) return;
        auto connection = std::move(connection_);
        connection_.reset();
        connection->clearHandlers();
        const auto owner = owner_.lock();
        if (keepUnwritten && writeIssuedSteadyNs_ == 0 &&
            connection->state() != HttpsConnection::State::Closed && owner && owner->keepAlive &&
            !owner->idle) {
            connection->becomeIdle(owner->idleTimeoutNs);
            owner->idle = std::move(connection);
            return;
        }
        connection->close();
    }

    /// Delivers the outcome once; the callback may start the next request or destroy the client.
    void finish(HttpResponse response) {
        if (finished_) return;
        const auto self = shared_from_this();
        finished_ = true;
        deadline_.cancel();
        release(false);
        response.writeIssuedSteadyNs = writeIssuedSteadyNs_;
        response.writtenSteadyNs = writtenSteadyNs_;
        response.reusedConnection = reused_;
        if (auto owner = owner_.lock(); owner && owner->operation.get() == this) {
            owner->operation.reset();
        }
        auto done = std::move(done_);
        done_ = nullptr;
        if (done) done(std::move(response));
    }

    std::weak_ptr<Impl> owner_;
    Url url_;
    asio::steady_timer deadline_;
    http::request<http::string_body> request_;
    std::optional<http::response_parser<http::string_body>> parser_;
    std::shared_ptr<HttpsConnection> connection_;
    Callback done_;
    std::string phase_ = "before starting";
    TimeNs timeoutNs_ = 0;
    // Steady times of the write being issued and completed; 0 until then (the steady clock
    // never reads 0), which is also how "written" is known.
    TimeNs writeIssuedSteadyNs_ = 0;
    TimeNs writtenSteadyNs_ = 0;
    std::size_t maxBodyBytes_ = 0;
    unsigned attempt_ = 0;
    bool repeatable_ = false;  ///< GET/HEAD: safe to send again
    bool reused_ = false;      ///< this attempt writes on a connection that was idle before
    bool firstBytes_ = false;
    bool retried_ = false;
    bool finished_ = false;
};

void HttpsClient::Impl::dropOperation() {
    ++requestCount;
    if (!operation) return;
    const auto old = std::move(operation);
    operation.reset();
    old->cancel();
}

bool HttpsClient::Impl::ensureTlsContext(std::string& error) {
    if (sslContext) return true;
    sslContext = makeClientTlsContext(tls, error);
    if (!sslContext) error = "TLS setup: " + error;
    return sslContext != nullptr;
}

std::shared_ptr<HttpsConnection> HttpsClient::Impl::takeConnection(const std::string& host,
                                                                   std::uint16_t port) {
    if (!idle) return nullptr;
    auto connection = std::move(idle);
    idle.reset();
    if (connection->matches(host, port) && connection->usable()) return connection;
    connection->close();
    return nullptr;
}

std::shared_ptr<HttpsConnection> HttpsClient::Impl::openConnection(const std::string& host,
                                                                   std::uint16_t port) {
    const std::weak_ptr<Impl> weak = shared_from_this();
    HttpsConnection::Events events;
    events.handshakeDone = [weak] {
        if (const auto impl = weak.lock()) ++impl->stats.handshakes;
    };
    events.idleEnded = [weak](const HttpsConnection& ended) {
        if (const auto impl = weak.lock()) impl->onIdleClosed(ended);
    };
    auto connection =
        std::make_shared<HttpsConnection>(io, sslContext, host, port, std::move(events));
    ++stats.connectionsOpened;
    connection->open();
    return connection;
}

void HttpsClient::Impl::park(std::shared_ptr<HttpsConnection> connection) {
    if (idle) idle->close();
    connection->resumeWatching();
    connection->becomeIdle(idleTimeoutNs);
    idle = std::move(connection);
}

void HttpsClient::Impl::warm(const std::string& host, std::uint16_t port) {
    closeIdle();
    idle = openConnection(host, port);
    idle->becomeIdle(idleTimeoutNs);
}

void HttpsClient::Impl::closeIdle() {
    if (!idle) return;
    const auto connection = std::move(idle);
    idle.reset();
    connection->close();
}

void HttpsClient::Impl::onIdleClosed(const HttpsConnection& connection) {
    ++stats.idleClosed;
    if (idle.get() != &connection) return;
    const std::string host = connection.host();
    const std::uint16_t port = connection.port();
    const bool replace = keepAlive && keepWarm && connection.openSteadyNs() != 0 &&
                         steadyNowNs() - connection.openSteadyNs() >= kMinWarmLifetimeNs;
    idle.reset();  // the caller's handler still holds the connection
    if (replace && !(operation && operation->uses(host, port))) warm(host, port);
}

HttpsClient::HttpsClient(EventLoop& loop, TlsConfig tls)
    : impl_(std::make_shared<Impl>(loop, std::move(tls))) {}

HttpsClient::~HttpsClient() {
    impl_->keepWarm = false;
    impl_->dropOperation();
    impl_->closeIdle();
}

void HttpsClient::get(const Url& url, Callback done, TimeNs timeoutNs) {
    HttpRequest request;
    request.url = url;
    this->request(std::move(request), std::move(done), timeoutNs);
}

void HttpsClient::request(HttpRequest request, Callback done, TimeNs timeoutNs) {
    impl_->dropOperation();
    std::string error;
    const http::verb verb = http::string_to_verb(request.method);
    if (verb == http::verb::unknown) error = "unsupported HTTP method '" + request.method + "'";
    if (error.empty()) impl_->ensureTlsContext(error);
    if (!error.empty()) {
        // Reported from the loop like every other outcome, never from inside request(); a later
        // request, cancel() or the destructor makes it stale.
        asio::post(impl_->io, [weak = std::weak_ptr<Impl>(impl_), expected = impl_->requestCount,
                               done = std::move(done), error = std::move(error)] {
            const auto impl = weak.lock();
            if (!impl || impl->requestCount != expected) return;
            HttpResponse response;
            response.error = error;
            done(std::move(response));
        });
        return;
    }
    impl_->operation =
        std::make_shared<Impl::Operation>(impl_, std::move(request), verb, std::move(done));
    impl_->operation->start(timeoutNs);
}

void HttpsClient::cancel() {
    impl_->dropOperation();
}

void HttpsClient::setKeepAlive(bool on, TimeNs idleTimeoutNs) {
    impl_->keepAlive = on;
    impl_->idleTimeoutNs = std::max<TimeNs>(idleTimeoutNs, 1'000'000);
    if (!on) impl_->closeIdle();
}

void HttpsClient::warmUp(const Url& url) {
    if (!impl_->keepAlive) return;
    std::string error;
    if (!impl_->ensureTlsContext(error)) return;
    if (impl_->idle && impl_->idle->matches(url.host, url.port) && impl_->idle->usable()) return;
    if (impl_->operation && impl_->operation->uses(url.host, url.port)) return;
    impl_->warm(url.host, url.port);
}

void HttpsClient::setKeepWarm(bool on) {
    impl_->keepWarm = on;
}

void HttpsClient::setMaxBodyBytes(std::size_t bytes) {
    impl_->maxBodyBytes = bytes;
}

const HttpsClient::Stats& HttpsClient::stats() const {
    return impl_->stats;
}

const std::string* HttpResponse::header(std::string_view name) const {
    for (const auto& [key, value] : headers) {
        if (key.size() == name.size() &&
            std::equal(key.begin(), key.end(), name.begin(), [](char a, char b) {
                return std::tolower(static_cast<unsigned char>(a)) ==
                       std::tolower(static_cast<unsigned char>(b));
            })) {
            return &value;
        }
    }
    return nullptr;
}

}  // namespace flowscope::net
