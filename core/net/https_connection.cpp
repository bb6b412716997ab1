#include "net/https_connection.h"

#include <chrono>
#include <utility>

#include <boost/asio/post.hpp>
#include <boost/beast/core/bind_handler.hpp>

#include "net/tls_context.h"

namespace flowscope::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

/// What the posted read asks for at a time (one TLS record's worth).
constexpr std::size_t kReadChunkBytes = 16 * 1024;

}  // namespace

std::string bracketed(const std::string& host) {
    return host.find(':') == std::string::npos ? host : "[" + host + "]";
}

HttpsConnection::HttpsConnection(asio::io_context& io, std::shared_ptr<ssl::context> tls,
                                 std::string host, std::uint16_t port, Events events)
    : host_(std::move(host)),
      port_(port),
      events_(std::move(events)),
      sslContext_(std::move(tls)),
      resolver_(io),
      stream_(io, *sslContext_),
      idleTimer_(io) {}

void HttpsConnection::open() {
    std::string error;
    if (!prepareClientTls(stream_.native_handle(), host_, error)) {
        asio::post(resolver_.get_executor(), [self = shared_from_this(), error] {
            self->failOpen("TLS setup for " + self->host_ + ": " + error);
        });
        return;
    }
    phase_ = "resolving " + host_;
    resolver_.async_resolve(
        host_, std::to_string(port_),
        beast::bind_front_handler(&HttpsConnection::onResolve, shared_from_this()));
}

void HttpsConnection::becomeIdle(TimeNs idleTimeoutNs) {
    held_ = false;
    idleTimeoutNs_ = idleTimeoutNs;
    if (state_ == State::Open) startIdleTimer();
}

void HttpsConnection::hold() {
    held_ = true;
    idleTimer_.cancel();
}

void HttpsConnection::close() {
    if (state_ == State::Closed) return;
    state_ = State::Closed;
    clearHandlers();
    idleTimer_.cancel();
    resolver_.cancel();
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
}

void HttpsConnection::onResolve(const error_code& ec,
                                const tcp::resolver::results_type& endpoints) {
    if (state_ == State::Closed) return;
    if (ec) return failOpen("resolve " + host_ + ": " + ec.message());
    phase_ = "connecting";
    beast::get_lowest_layer(stream_).async_connect(
        endpoints, beast::bind_front_handler(&HttpsConnection::onConnect, shared_from_this()));
}

void HttpsConnection::onConnect(const error_code& ec, const tcp::endpoint&) {
    if (state_ == State::Closed) return;
    if (ec) {
        return failOpen("connect to " + bracketed(host_) + ":" + std::to_string(port_) + ": " +
                        ec.message());
    }
    // A request is one small write and then a wait: never hold its last segment back.
    error_code ignored;
    beast::get_lowest_layer(stream_).socket().set_option(tcp::no_delay(true), ignored);
    phase_ = "in the TLS handshake";
    stream_.async_handshake(
        ssl::stream_base::client,
        beast::bind_front_handler(&HttpsConnection::onHandshake, shared_from_this()));
}

void HttpsConnection::onHandshake(const error_code& ec) {
    if (state_ == State::Closed) return;
    if (ec) {
        return failOpen("TLS handshake with " + host_ + ": " +
                        describeTlsError(ec, stream_.native_handle()));
    }
    if (events_.handshakeDone) events_.handshakeDone();
    state_ = State::Open;
    phase_ = "open";
    openSteadyNs_ = steadyNowNs();
    postRead();
    auto ready = std::move(ready_);
    ready_ = nullptr;
    if (ready) {
        ready({});
    } else if (!held_) {
        startIdleTimer();
    }
}

void HttpsConnection::failOpen(std::string error) {
    auto ready = std::move(ready_);
    close();
    if (ready) ready(error);
}

void HttpsConnection::postRead() {
    stream_.async_read_some(buffer_.prepare(kReadChunkBytes),
                            [self = shared_from_this()](const error_code& ec, std::size_t bytes) {
                                self->buffer_.commit(bytes);
                                if (self->state_ == State::Closed) return;
                                if (auto done = std::move(self->readDone_)) {
                                    self->readDone_ = nullptr;
                                    done(ec);
                                    return;
                                }
                                self->endIdle();
                            });
}

void HttpsConnection::startIdleTimer() {
    idleTimer_.expires_after(std::chrono::nanoseconds(idleTimeoutNs_));
    idleTimer_.async_wait([self = shared_from_this()](const error_code& ec) {
        if (ec || self->held_ || self->state_ == State::Closed) return;
        self->endIdle();
    });
}

void HttpsConnection::endIdle() {
    close();
    if (events_.idleEnded) events_.idleEnded(*this);
}

}  // namespace flowscope::net
