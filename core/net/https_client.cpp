#include "net/https_client.h"

#include <algorithm>
#include <cctype>

#include <chrono>
#include <optional>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include "net/asio_impl.h"
#include "net/tls_context.h"

namespace flowscope::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

constexpr std::size_t kDefaultMaxBodyBytes = std::size_t{64} << 20;
/// Venue responses carry a few cookies and rate-limit headers; Beast's default (8 KiB) is tight.
constexpr std::uint32_t kMaxHeaderBytes = 64 * 1024;
constexpr std::uint16_t kDefaultTlsPort = 443;

TimeNs wallClockNs() {
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::system_clock::now().time_since_epoch())
        .count();
}

std::string bracketed(const std::string& host) {
    return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

std::string durationText(TimeNs ns) {
    const TimeNs ms = ns / 1'000'000;
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}

}  // namespace

struct HttpsClient::Impl {
    class Operation;

    Impl(EventLoop& loop, TlsConfig tlsConfig) : io(loop.impl().io), tls(std::move(tlsConfig)) {}

    /// Forgets the request in flight (its callback will not run) and any failure already posted.
    void dropOperation();

    asio::io_context& io;
    TlsConfig tls;
    std::size_t maxBodyBytes = kDefaultMaxBodyBytes;
    std::shared_ptr<ssl::context> sslContext;  ///< built by the first request that needs it
    std::shared_ptr<Operation> operation;      ///< the request in flight, if any
    std::uint64_t requestCount = 0;            ///< bumped by every request and cancel()
};

/// One request from resolve to the last byte of the response, on a fresh connection ("Connection:
/// close"). One deadline covers every step. Keeps itself alive through its pending handlers, so
/// cancel() or destroying the client at any step is safe.
class HttpsClient::Impl::Operation : public std::enable_shared_from_this<Operation> {
  public:
    Operation(const std::shared_ptr<Impl>& owner, HttpRequest request, http::verb verb,
              Callback done)
        : owner_(owner),
          url_(std::move(request.url)),
          sslContext_(owner->sslContext),
          resolver_(owner->io),
          stream_(owner->io, *sslContext_),
          deadline_(owner->io),
          done_(std::move(done)) {
        request_.method(verb);
        request_.target(url_.target);
        request_.version(11);
        request_.set(http::field::host,
                     url_.port == kDefaultTlsPort
                         ? bracketed(url_.host)
                         : bracketed(url_.host) + ":" + std::to_string(url_.port));
        request_.set(http::field::user_agent, "flowscope");
        request_.set(http::field::accept, "*/*");
        request_.keep_alive(false);
        for (auto& [name, value] : request.headers)
            request_.set(name, value);
        if (!request.body.empty()) request_.set(http::field::content_type, request.contentType);
        request_.body() = std::move(request.body);
        request_.prepare_payload();
        parser_.body_limit(owner->maxBodyBytes);
        parser_.header_limit(kMaxHeaderBytes);
        maxBodyBytes_ = owner->maxBodyBytes;
    }

    void start(TimeNs timeoutNs) {
        timeoutNs_ = timeoutNs;
        deadline_.expires_after(std::chrono::nanoseconds(timeoutNs));
        deadline_.async_wait([self = shared_from_this()](const error_code& ec) {
            if (ec || self->finished_) return;
            self->fail(self->url_.toString() + ": timed out after " +
                       durationText(self->timeoutNs_) + " " + self->phase_);
        });
        std::string error;
        if (!prepareClientTls(stream_.native_handle(), url_.host, error)) {
            asio::post(resolver_.get_executor(), [self = shared_from_this(), error] {
                self->fail("TLS setup for " + self->url_.host + ": " + error);
            });
            return;
        }
        phase_ = "resolving " + url_.host;
        resolver_.async_resolve(
            url_.host, std::to_string(url_.port),
            beast::bind_front_handler(&Operation::onResolve, shared_from_this()));
    }

    /// Silent end: the owner no longer wants the answer.
    void cancel() {
        finished_ = true;
        done_ = nullptr;
        abort();
    }

  private:
    void onResolve(const error_code& ec, const tcp::resolver::results_type& endpoints) {
        if (finished_) return;
        if (ec) return fail("resolve " + url_.host + ": " + ec.message());
        phase_ = "connecting";
        beast::get_lowest_layer(stream_).async_connect(
            endpoints, beast::bind_front_handler(&Operation::onConnect, shared_from_this()));
    }

    void onConnect(const error_code& ec, const tcp::endpoint&) {
        if (finished_) return;
        if (ec) {
            return fail("connect to " + bracketed(url_.host) + ":" + std::to_string(url_.port) +
                        ": " + ec.message());
        }
        phase_ = "in the TLS handshake";
        stream_.async_handshake(
            ssl::stream_base::client,
            beast::bind_front_handler(&Operation::onTlsHandshake, shared_from_this()));
    }

    void onTlsHandshake(const error_code& ec) {
        if (finished_) return;
        if (ec) return fail("TLS handshake with " + url_.host + ": " + describe(ec));
        phase_ = "sending the request";
        http::async_write(stream_, request_,
                          beast::bind_front_handler(&Operation::onWrite, shared_from_this()));
    }

    void onWrite(const error_code& ec, std::size_t) {
        if (finished_) return;
        if (ec) return fail("sending the request to " + url_.host + ": " + describe(ec));
        phase_ = "waiting for the response";
        http::async_read(stream_, buffer_, parser_,
                         beast::bind_front_handler(&Operation::onRead, shared_from_this()));
    }

    void onRead(const error_code& ec, std::size_t) {
        if (finished_) return;
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
        response.receiveNs = wallClockNs();
        auto message = parser_.release();
        response.status = static_cast<int>(message.result_int());
        for (const auto& field : message.base()) {
            response.headers.emplace_back(std::string(field.name_string()),
                                          std::string(field.value()));
        }
        response.body = std::move(message.body());
        finish(std::move(response));
    }

    std::string describe(const error_code& ec) {
        // A clean close before the response ended; a close without close_notify is a TLS
        // truncation, which describeTlsError names.
        if (ec == http::error::end_of_stream || ec == asio::error::eof) {
            return "connection closed before the response was complete";
        }
        return describeTlsError(ec, stream_.native_handle());
    }

    void fail(std::string error) {
        HttpResponse response;
        response.error = std::move(error);
        finish(std::move(response));
    }

    /// Delivers the outcome once; the callback may start the next request or destroy the client.
    void finish(HttpResponse response) {
        if (finished_) return;
        const auto self = shared_from_this();
        finished_ = true;
        abort();
        if (auto owner = owner_.lock(); owner && owner->operation.get() == this) {
            owner->operation.reset();
        }
        auto done = std::move(done_);
        done_ = nullptr;
        if (done) done(std::move(response));
    }

    void abort() {
        deadline_.cancel();
        resolver_.cancel();
        error_code ignored;
        beast::get_lowest_layer(stream_).socket().close(ignored);
    }

    std::weak_ptr<Impl> owner_;
    Url url_;
    std::shared_ptr<ssl::context> sslContext_;  ///< declared before stream_, so it outlives it
    tcp::resolver resolver_;
    ssl::stream<beast::tcp_stream> stream_;
    asio::steady_timer deadline_;
    http::request<http::string_body> request_;
    beast::flat_buffer buffer_;
    http::response_parser<http::string_body> parser_;
    Callback done_;
    std::string phase_ = "before starting";
    TimeNs timeoutNs_ = 0;
    std::size_t maxBodyBytes_ = 0;
    bool finished_ = false;
};

void HttpsClient::Impl::dropOperation() {
    ++requestCount;
    if (!operation) return;
    const auto old = std::move(operation);
    operation.reset();
    old->cancel();
}

HttpsClient::HttpsClient(EventLoop& loop, TlsConfig tls)
    : impl_(std::make_shared<Impl>(loop, std::move(tls))) {}

HttpsClient::~HttpsClient() {
    impl_->dropOperation();
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
    if (error.empty() && !impl_->sslContext) {
        impl_->sslContext = makeClientTlsContext(impl_->tls, error);
        if (!impl_->sslContext) error = "TLS setup: " + error;
    }
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

void HttpsClient::setMaxBodyBytes(std::size_t bytes) {
    impl_->maxBodyBytes = bytes;
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
