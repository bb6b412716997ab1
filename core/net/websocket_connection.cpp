#include "net/websocket_connection.h"

#include <chrono>
#include <deque>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/beast/core/bind_handler.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/websocket/ssl.hpp>
#include <boost/beast/websocket/stream.hpp>

#include "book/clock.h"
#include "io/input_limits.h"
#include "net/asio_impl.h"
#include "net/tls_context.h"

namespace flowscope::net {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;

namespace {

/// What a recording may hold (16 MiB): a frame the terminal would show but could not record is
/// no frame any venue sends; refused alike, live and recorded.
constexpr std::size_t kDefaultMaxMessageBytes = kMaxRecordBytes;
constexpr TimeNs kDefaultIdleTimeoutNs = 30'000'000'000;
constexpr auto kConnectTimeout = std::chrono::seconds(10);
/// TLS handshake, WebSocket upgrade and the closing handshake each get this long.
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr std::uint16_t kDefaultTlsPort = 443;

std::string endpointText(const Url& url) {
    const bool ipv6 = url.host.find(':') != std::string::npos;
    return (ipv6 ? "[" + url.host + "]" : url.host) + ":" + std::to_string(url.port);
}

/// RFC 7230 §5.4: the port is left out when it is the scheme's default, as browsers do.
std::string hostHeader(const Url& url) {
    const bool ipv6 = url.host.find(':') != std::string::npos;
    std::string host = ipv6 ? "[" + url.host + "]" : url.host;
    if (url.port != kDefaultTlsPort) host += ":" + std::to_string(url.port);
    return host;
}

std::string secondsText(TimeNs ns) {
    const TimeNs ms = ns / 1'000'000;
    if (ms % 1000 == 0) return std::to_string(ms / 1000) + " s";
    return std::to_string(ms) + " ms";
}

}  // namespace

struct WebSocketConnection::Impl {
    class Session;

    Impl(EventLoop& loop, TlsConfig tlsConfig, Handlers callbacks)
        : io(loop.impl().io), tls(std::move(tlsConfig)), handlers(std::move(callbacks)) {}

    /// Detaches the current session (it closes on its own, reporting nothing) and makes any failure
    /// already posted for an earlier open() stale.
    void dropSession();

    asio::io_context& io;
    TlsConfig tls;
    Handlers handlers;
    std::size_t maxMessageBytes = kDefaultMaxMessageBytes;
    TimeNs idleTimeoutNs = kDefaultIdleTimeoutNs;
    std::shared_ptr<ssl::context> sslContext;  ///< built by the first open() that needs it
    std::shared_ptr<Session> session;          ///< the connection open() started, if any
    std::uint64_t openCount = 0;               ///< bumped by open(), close() and the destructor
};

/// One connection attempt, from resolve to the last read. It owns the sockets and keeps itself
/// alive through the handlers of its pending operations (shared_from_this), so the
/// WebSocketConnection can be closed or destroyed at any step: the session is detached (owner_
/// emptied), aborts or closes gracefully, and reports to no one.
class WebSocketConnection::Impl::Session : public std::enable_shared_from_this<Session> {
  public:
    Session(const std::shared_ptr<Impl>& owner, Url url)
        : owner_(owner),
          url_(std::move(url)),
          sslContext_(owner->sslContext),
          resolver_(owner->io),
          ws_(owner->io, *sslContext_),
          maxMessageBytes_(owner->maxMessageBytes),
          idleTimeoutNs_(owner->idleTimeoutNs) {}

    void start() {
        std::string error;
        if (!prepareClientTls(ws_.next_layer().native_handle(), url_.host, error)) {
            asio::post(ws_.get_executor(), [self = shared_from_this(), error] {
                self->fail("TLS setup for " + self->url_.host + ": " + error);
            });
            return;
        }
        state_ = State::Resolving;
        resolver_.async_resolve(url_.host, std::to_string(url_.port),
                                beast::bind_front_handler(&Session::onResolve, shared_from_this()));
    }

    bool isOpen() const { return state_ == State::Open; }

    void setMaxMessageBytes(std::size_t bytes) {
        maxMessageBytes_ = bytes;
        buffer_.max_size(bytes);
    }

    void send(std::string text) {
        if (state_ != State::Open) return;
        outbox_.push_back(std::move(text));
        if (!writing_) writeNext();
    }

    /// The owner closed or forgot this connection: no callback from now on. An open WebSocket gets
    /// a close frame (code 1000) and waits for the server's; anything earlier is aborted.
    void detach() {
        owner_.reset();
        if (state_ == State::Open) {
            state_ = State::Closing;
            // What was not yet written is no longer wanted; the frame being written stays, its
            // bytes are in use until its handler runs.
            outbox_.erase(writing_ ? std::next(outbox_.begin()) : outbox_.begin(), outbox_.end());
            ws_.async_close(websocket::close_code::normal,
                            [self = shared_from_this()](const error_code&) {
                                self->state_ = State::Done;
                                self->abort();
                            });
            return;
        }
        if (state_ != State::Closing) {
            state_ = State::Done;
            abort();
        }
    }

  private:
    enum class State { Idle, Resolving, Connecting, TlsHandshake, Upgrading, Open, Closing, Done };

    /// Our own close() or a failure already reported: a late completion must do nothing.
    bool finished() const { return state_ == State::Closing || state_ == State::Done; }

    void onResolve(const error_code& ec, const tcp::resolver::results_type& endpoints) {
        if (finished()) return;
        if (ec) return fail("resolve " + url_.host + ": " + ec.message());
        state_ = State::Connecting;
        beast::get_lowest_layer(ws_).expires_after(kConnectTimeout);
        beast::get_lowest_layer(ws_).async_connect(
            endpoints, beast::bind_front_handler(&Session::onConnect, shared_from_this()));
    }

    void onConnect(const error_code& ec, const tcp::endpoint&) {
        if (finished()) return;
        if (ec == beast::error::timeout) {
            return fail("connect to " + endpointText(url_) + ": timed out after " +
                        secondsText(std::chrono::nanoseconds(kConnectTimeout).count()));
        }
        if (ec) return fail("connect to " + endpointText(url_) + ": " + ec.message());
        error_code ignored;  // Nagle only delays small frames; failing to turn it off is harmless
        beast::get_lowest_layer(ws_).socket().set_option(tcp::no_delay(true), ignored);
        state_ = State::TlsHandshake;
        beast::get_lowest_layer(ws_).expires_after(kHandshakeTimeout);
        ws_.next_layer().async_handshake(
            ssl::stream_base::client,
            beast::bind_front_handler(&Session::onTlsHandshake, shared_from_this()));
    }

    void onTlsHandshake(const error_code& ec) {
        if (finished()) return;
        if (ec == beast::error::timeout) {
            return fail("TLS handshake with " + url_.host + ": timed out after " +
                        secondsText(std::chrono::nanoseconds(kHandshakeTimeout).count()));
        }
        if (ec) {
            return fail("TLS handshake with " + url_.host + ": " +
                        describeTlsError(ec, ws_.next_layer().native_handle()));
        }
        // From here the WebSocket stream's own timers watch the connection; Beast requires the TCP
        // stream's timer to be off.
        beast::get_lowest_layer(ws_).expires_never();
        websocket::stream_base::timeout timeouts{};
        timeouts.handshake_timeout = kHandshakeTimeout;
        if (idleTimeoutNs_ > 0) {
            // Pings at half the idle time keep a quiet but healthy feed alive; a peer that answers
            // nothing for the whole idle time is dead.
            timeouts.idle_timeout = std::chrono::nanoseconds(idleTimeoutNs_);
            timeouts.keep_alive_pings = true;
        } else {
            timeouts.idle_timeout = websocket::stream_base::none();
            timeouts.keep_alive_pings = false;
        }
        ws_.set_option(timeouts);
        ws_.set_option(websocket::stream_base::decorator([](websocket::request_type& request) {
            request.set(beast::http::field::user_agent, "flowscope");
        }));
        // The limit is the read buffer's capacity, not Beast's read_message_max: an oversized
        // message then fails at once with buffer_overflow, whereas message_too_big starts a
        // closing handshake whose teardown error (the peer still sending) replaces the cause.
        ws_.read_message_max(0);
        buffer_.max_size(maxMessageBytes_);
        state_ = State::Upgrading;
        ws_.async_handshake(upgradeResponse_, hostHeader(url_), url_.target,
                            beast::bind_front_handler(&Session::onUpgrade, shared_from_this()));
    }

    void onUpgrade(const error_code& ec) {
        if (finished()) return;
        if (ec == websocket::error::upgrade_declined) {
            return fail("WebSocket upgrade of " + url_.target + " refused: HTTP " +
                        std::to_string(upgradeResponse_.result_int()) + " " +
                        std::string(upgradeResponse_.reason()));
        }
        if (ec == beast::error::timeout) {
            return fail("WebSocket upgrade with " + url_.host + ": timed out after " +
                        secondsText(std::chrono::nanoseconds(kHandshakeTimeout).count()));
        }
        if (ec) return fail("WebSocket upgrade with " + url_.host + ": " + describe(ec));
        upgradeResponse_ = {};  // the headers are not needed any more
        state_ = State::Open;
        ws_.text(true);
        if (auto owner = owner_.lock(); owner && owner->handlers.onOpen) owner->handlers.onOpen();
        if (state_ == State::Open) readNext();
    }

    void readNext() {
        ws_.async_read(buffer_, beast::bind_front_handler(&Session::onRead, shared_from_this()));
    }

    void onRead(const error_code& ec, std::size_t) {
        if (finished()) return;
        if (ec) return fail(readFailure(ec));
        const TimeNs receiveNs = wallNowNs();
        {
            // Holding the owner keeps its handlers alive even if the callback destroys the
            // WebSocketConnection.
            auto owner = owner_.lock();
            if (!owner) return;
            if (owner->handlers.onMessage) {
                const auto bytes = buffer_.cdata();
                owner->handlers.onMessage(
                    std::string_view(static_cast<const char*>(bytes.data()), bytes.size()),
                    receiveNs);
            }
        }
        buffer_.consume(buffer_.size());  // the capacity stays: no allocation in steady state
        if (state_ == State::Open) readNext();
    }

    std::string readFailure(const error_code& ec) {
        if (ec == websocket::error::closed) {
            const auto& reason = ws_.reason();
            std::string text = "closed by server (code " + std::to_string(reason.code);
            if (!reason.reason.empty()) text += ": " + std::string(reason.reason.c_str());
            return text + ")";
        }
        if (ec == websocket::error::buffer_overflow || ec == websocket::error::message_too_big) {
            return "message too big (over the " + std::to_string(maxMessageBytes_) + "-byte limit)";
        }
        if (ec == beast::error::timeout) {
            return "server silent for " + secondsText(idleTimeoutNs_) +
                   " (keep-alive pings unanswered)";
        }
        return "connection lost: " + describe(ec);
    }

    void writeNext() {
        writing_ = true;
        ws_.async_write(asio::buffer(outbox_.front()),
                        beast::bind_front_handler(&Session::onWrite, shared_from_this()));
    }

    void onWrite(const error_code& ec, std::size_t) {
        writing_ = false;
        if (finished()) return;
        if (ec) return fail("write: " + describe(ec));
        outbox_.pop_front();
        if (!outbox_.empty()) writeNext();
    }

    std::string describe(const error_code& ec) {
        return describeTlsError(ec, ws_.next_layer().native_handle());
    }

    /// Closes the socket without ceremony: every pending operation completes with an error.
    void abort() {
        resolver_.cancel();
        error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

    /// Ends the connection and tells the owner why, once.
    void fail(const std::string& reason) {
        if (finished()) return;
        const auto self = shared_from_this();
        state_ = State::Done;
        abort();
        auto owner = owner_.lock();
        owner_.reset();
        if (!owner) return;
        if (owner->session.get() == this) owner->session.reset();
        if (owner->handlers.onClose) owner->handlers.onClose(reason);
    }

    std::weak_ptr<Impl> owner_;
    Url url_;
    std::shared_ptr<ssl::context> sslContext_;  ///< declared before ws_, so it outlives it
    tcp::resolver resolver_;
    websocket::stream<ssl::stream<beast::tcp_stream>> ws_;
    websocket::response_type upgradeResponse_;
    beast::flat_buffer buffer_;
    std::deque<std::string> outbox_;
    bool writing_ = false;
    State state_ = State::Idle;
    std::size_t maxMessageBytes_;
    TimeNs idleTimeoutNs_;
};

void WebSocketConnection::Impl::dropSession() {
    ++openCount;
    if (!session) return;
    const auto old = std::move(session);
    session.reset();
    old->detach();
}

WebSocketConnection::WebSocketConnection(EventLoop& loop, TlsConfig tls, Handlers handlers)
    : impl_(std::make_shared<Impl>(loop, std::move(tls), std::move(handlers))) {}

WebSocketConnection::~WebSocketConnection() {
    impl_->dropSession();
}

void WebSocketConnection::open(const Url& url) {
    impl_->dropSession();
    std::string error;
    if (!impl_->sslContext) impl_->sslContext = makeClientTlsContext(impl_->tls, error);
    if (!impl_->sslContext) {
        // Reported like any other failure: later, from the loop, never from inside open().
        asio::post(impl_->io, [weak = std::weak_ptr<Impl>(impl_), expected = impl_->openCount,
                               reason = "TLS setup: " + error] {
            const auto impl = weak.lock();
            if (!impl || impl->openCount != expected || !impl->handlers.onClose) return;
            impl->handlers.onClose(reason);
        });
        return;
    }
    impl_->session = std::make_shared<Impl::Session>(impl_, url);
    impl_->session->start();
}

void WebSocketConnection::send(std::string text) {
    if (impl_->session) impl_->session->send(std::move(text));
}

void WebSocketConnection::close() {
    impl_->dropSession();
}

bool WebSocketConnection::isOpen() const {
    return impl_->session && impl_->session->isOpen();
}

void WebSocketConnection::setMaxMessageBytes(std::size_t bytes) {
    impl_->maxMessageBytes = bytes;
    if (impl_->session) impl_->session->setMaxMessageBytes(bytes);
}

void WebSocketConnection::setIdleTimeout(TimeNs idleNs) {
    impl_->idleTimeoutNs = idleNs;
}

}  // namespace flowscope::net
