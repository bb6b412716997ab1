#include "loopback_tls_server.h"

#include <algorithm>
#include <chrono>
#include <deque>
#include <map>
#include <mutex>
#include <stdexcept>
#include <thread>

#include <openssl/ssl.h>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/buffers_to_string.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/websocket.hpp>
#include <boost/beast/websocket/ssl.hpp>

namespace flowscope::testing {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
namespace ssl = asio::ssl;
namespace websocket = beast::websocket;
using tcp = asio::ip::tcp;
using boost::system::error_code;
using TlsStream = ssl::stream<beast::tcp_stream>;

namespace {

bool equalsIgnoringCase(const std::string& a, const std::string& b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
               return std::tolower(static_cast<unsigned char>(x)) ==
                      std::tolower(static_cast<unsigned char>(y));
           });
}

}  // namespace

std::string SeenHttpRequest::header(const std::string& name) const {
    for (const auto& [key, value] : headers) {
        if (equalsIgnoringCase(key, name)) return value;
    }
    return {};
}

class WebSocketSession;

/// Everything the server thread owns, plus the observations the test thread reads (under mutex).
class LoopbackTlsServer::Impl {
  public:
    explicit Impl(Options opts) : options(std::move(opts)) {
        SSL_CTX_set_min_proto_version(tlsContext.native_handle(), TLS1_2_VERSION);
        tlsContext.use_certificate_chain_file(options.certFile);
        tlsContext.use_private_key_file(options.keyFile, ssl::context::pem);
        const tcp::endpoint endpoint(asio::ip::make_address("127.0.0.1"), 0);
        acceptor.open(endpoint.protocol());
        acceptor.set_option(tcp::acceptor::reuse_address(true));
        acceptor.bind(endpoint);
        acceptor.listen();
        port = acceptor.local_endpoint().port();
    }

    void start() {
        acceptNext();
        thread = std::thread([this] { io.run(); });
    }

    void stop() {
        io.stop();
        if (thread.joinable()) thread.join();
    }

    void acceptNext();
    void handleHttp(std::shared_ptr<TlsStream> stream, std::shared_ptr<beast::flat_buffer> buffer,
                    std::shared_ptr<http::request<http::string_body>> request);
    template <typename Fn>
    void forEachSession(Fn fn);

    // Declaration order matters: the io_context is destroyed after the thread stopped and before
    // the state its leftover handlers (sessions) still touch while they are destroyed.
    Options options;
    mutable std::mutex mutex;  ///< guards the observations below
    std::map<std::string, HttpRoute> routes;
    std::vector<std::string> received;
    int upgrades = 0;
    int open = 0;
    int pongs = 0;
    int pings = 0;
    int tcpAccepted = 0;
    std::vector<int> closeCodes;
    std::string upgradeHost;
    std::optional<SeenHttpRequest> lastRequest;

    ssl::context tlsContext{ssl::context::tls_server};
    asio::io_context io;
    asio::executor_work_guard<asio::io_context::executor_type> work{io.get_executor()};
    tcp::acceptor acceptor{io};
    std::uint16_t port = 0;
    std::vector<std::weak_ptr<WebSocketSession>> sessions;        ///< server thread only
    std::vector<std::shared_ptr<tcp::socket>> mutedSockets;       ///< speakTls == false
    std::vector<std::shared_ptr<WebSocketSession>> hungSessions;  ///< readMessages == false
    std::thread thread;
};

/// One upgraded connection. Everything it sends (pushes, echoes, pings, the close) goes through one
/// queue so that at most one write-side operation is ever pending, as Beast requires.
class WebSocketSession : public std::enable_shared_from_this<WebSocketSession> {
  public:
    WebSocketSession(TlsStream&& stream, LoopbackTlsServer::Impl& server)
        : ws_(std::move(stream)), server_(server) {}

    void accept(const http::request<http::string_body>& request) {
        beast::get_lowest_layer(ws_).expires_never();
        ws_.set_option(websocket::stream_base::timeout::suggested(beast::role_type::server));
        ws_.control_callback([this](websocket::frame_type kind, beast::string_view) {
            const std::lock_guard lock(server_.mutex);
            if (kind == websocket::frame_type::pong) ++server_.pongs;
            if (kind == websocket::frame_type::ping) ++server_.pings;
        });
        ws_.async_accept(request, [self = shared_from_this()](const error_code& ec) {
            if (ec) return;
            self->onAccepted();
        });
    }

    void push(std::string text) { enqueue({Out::Text, std::move(text), 0}); }
    void ping() { enqueue({Out::Ping, {}, 0}); }
    void close(std::uint16_t code, std::string reason) {
        enqueue({Out::Close, std::move(reason), code});
    }
    void drop() {
        error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }

  private:
    struct Out {
        enum Kind { Text, Ping, Close } kind;
        std::string text;
        std::uint16_t code;
    };

    void onAccepted() {
        {
            const std::lock_guard lock(server_.mutex);
            ++server_.upgrades;
            ++server_.open;
        }
        opened_ = true;
        server_.sessions.push_back(weak_from_this());
        ws_.text(true);
        for (const auto& text : server_.options.pushOnOpen)
            push(text);
        if (server_.options.readMessages) {
            readNext();
        } else {
            server_.hungSessions.push_back(shared_from_this());  // nothing else keeps it alive
        }
    }

    void readNext() {
        ws_.async_read(buffer_, [self = shared_from_this()](const error_code& ec, std::size_t) {
            self->onRead(ec);
        });
    }

    void onRead(const error_code& ec) {
        if (ec) {
            const std::lock_guard lock(server_.mutex);
            if (ec == websocket::error::closed) server_.closeCodes.push_back(ws_.reason().code);
            return;
        }
        std::string text = beast::buffers_to_string(buffer_.cdata());
        buffer_.consume(buffer_.size());
        {
            const std::lock_guard lock(server_.mutex);
            server_.received.push_back(text);
        }
        if (server_.options.echo) push(std::move(text));
        readNext();
    }

    void enqueue(Out out) {
        if (closing_) return;
        outbox_.push_back(std::move(out));
        if (!busy_) sendNext();
    }

    void sendNext() {
        if (outbox_.empty() || closing_) return;
        busy_ = true;
        auto done = [self = shared_from_this()](const error_code& ec, std::size_t = 0) {
            self->busy_ = false;
            if (ec) return;
            self->outbox_.pop_front();
            self->sendNext();
        };
        Out& out = outbox_.front();
        switch (out.kind) {
            case Out::Text:
                ws_.async_write(asio::buffer(out.text), done);
                break;
            case Out::Ping:
                ws_.async_ping({}, [done](const error_code& ec) { done(ec); });
                break;
            case Out::Close:
                closing_ = true;
                ws_.async_close(
                    websocket::close_reason(static_cast<websocket::close_code>(out.code), out.text),
                    [done](const error_code& ec) { done(ec); });
                break;
        }
    }

  public:
    ~WebSocketSession() {
        if (!opened_) return;
        const std::lock_guard lock(server_.mutex);
        --server_.open;
    }

  private:
    websocket::stream<TlsStream> ws_;
    LoopbackTlsServer::Impl& server_;
    beast::flat_buffer buffer_;
    std::deque<Out> outbox_;
    bool busy_ = false;
    bool closing_ = false;
    bool opened_ = false;
};

template <typename Fn>
void LoopbackTlsServer::Impl::forEachSession(Fn fn) {
    std::erase_if(sessions, [](const auto& weak) { return weak.expired(); });
    for (const auto& weak : sessions) {
        if (auto session = weak.lock()) fn(*session);
    }
}

void LoopbackTlsServer::Impl::acceptNext() {
    acceptor.async_accept([self = this](const error_code& ec, tcp::socket socket) {
        if (ec) return;
        {
            const std::lock_guard lock(self->mutex);
            ++self->tcpAccepted;
        }
        if (!self->options.speakTls) {
            self->mutedSockets.push_back(std::make_shared<tcp::socket>(std::move(socket)));
            self->acceptNext();
            return;
        }
        auto stream = std::make_shared<TlsStream>(std::move(socket), self->tlsContext);
        stream->async_handshake(ssl::stream_base::server, [self, stream](const error_code& ec) {
            if (ec) return;  // e.g. the client refused our certificate
            auto buffer = std::make_shared<beast::flat_buffer>();
            auto request = std::make_shared<http::request<http::string_body>>();
            http::async_read(*stream, *buffer, *request,
                             [self, stream, buffer, request](const error_code& ec, std::size_t) {
                                 if (ec) return;
                                 self->handleHttp(stream, buffer, request);
                             });
        });
        self->acceptNext();
    });
}

void LoopbackTlsServer::Impl::handleHttp(
    std::shared_ptr<TlsStream> stream, std::shared_ptr<beast::flat_buffer> buffer,
    std::shared_ptr<http::request<http::string_body>> request) {
    HttpRoute route{404, "no such route", 0};
    const std::string target(request->target());
    if (websocket::is_upgrade(*request) && target == options.webSocketTarget) {
        {
            const std::lock_guard lock(mutex);
            upgradeHost = std::string((*request)[http::field::host]);
        }
        auto session = std::make_shared<WebSocketSession>(std::move(*stream), *this);
        session->accept(*request);
        return;
    }
    {
        const std::lock_guard lock(mutex);
        SeenHttpRequest seen{std::string(request->method_string()), target, request->body(), {}};
        for (const auto& field : *request) {
            seen.headers.emplace_back(std::string(field.name_string()), std::string(field.value()));
        }
        lastRequest = std::move(seen);
        if (const auto found = routes.find(target); found != routes.end()) route = found->second;
    }
    auto response = std::make_shared<http::response<http::string_body>>(
        static_cast<http::status>(route.status), request->version());
    response->set(http::field::content_type, "application/json");
    response->keep_alive(false);
    response->body() = route.body;
    response->prepare_payload();
    auto timer = std::make_shared<asio::steady_timer>(io, std::chrono::milliseconds(route.delayMs));
    timer->async_wait([stream, buffer, response, timer](const error_code& ec) {
        if (ec) return;
        http::async_write(*stream, *response,
                          [stream, response](const error_code& ec, std::size_t) {
                              if (ec) return;
                              stream->async_shutdown([stream](const error_code&) {
                                  error_code ignored;
                                  beast::get_lowest_layer(*stream).socket().close(ignored);
                              });
                          });
    });
}

LoopbackTlsServer::LoopbackTlsServer(Options options)
    : impl_(std::make_unique<Impl>(std::move(options))) {
    impl_->start();
}

LoopbackTlsServer::~LoopbackTlsServer() {
    impl_->stop();
}

std::uint16_t LoopbackTlsServer::port() const {
    return impl_->port;
}

std::string LoopbackTlsServer::webSocketUrl() const {
    return "wss://localhost:" + std::to_string(impl_->port) + impl_->options.webSocketTarget;
}

std::string LoopbackTlsServer::httpsUrl(const std::string& target) const {
    return "https://localhost:" + std::to_string(impl_->port) + target;
}

void LoopbackTlsServer::setRoute(const std::string& target, HttpRoute route) {
    const std::lock_guard lock(impl_->mutex);
    impl_->routes[target] = std::move(route);
}

void LoopbackTlsServer::pushToAll(std::string message) {
    asio::post(impl_->io, [impl = impl_.get(), message = std::move(message)] {
        impl->forEachSession([&](WebSocketSession& session) { session.push(message); });
    });
}

void LoopbackTlsServer::pingAll() {
    asio::post(impl_->io, [impl = impl_.get()] {
        impl->forEachSession([](WebSocketSession& session) { session.ping(); });
    });
}

void LoopbackTlsServer::closeAll(std::uint16_t code, std::string reason) {
    asio::post(impl_->io, [impl = impl_.get(), code, reason = std::move(reason)] {
        impl->forEachSession([&](WebSocketSession& session) { session.close(code, reason); });
    });
}

void LoopbackTlsServer::dropAll() {
    asio::post(impl_->io, [impl = impl_.get()] {
        impl->forEachSession([](WebSocketSession& session) { session.drop(); });
    });
}

std::vector<std::string> LoopbackTlsServer::receivedMessages() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->received;
}

int LoopbackTlsServer::upgradesAccepted() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->upgrades;
}

int LoopbackTlsServer::openSessions() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->open;
}

int LoopbackTlsServer::pongsReceived() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->pongs;
}

int LoopbackTlsServer::pingsReceived() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->pings;
}

std::vector<int> LoopbackTlsServer::closeCodesReceived() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->closeCodes;
}

std::string LoopbackTlsServer::lastUpgradeHostHeader() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->upgradeHost;
}

std::optional<SeenHttpRequest> LoopbackTlsServer::lastHttpRequest() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->lastRequest;
}

int LoopbackTlsServer::tcpConnectionsAccepted() const {
    const std::lock_guard lock(impl_->mutex);
    return impl_->tcpAccepted;
}

std::uint16_t unusedLoopbackPort() {
    asio::io_context io;
    tcp::acceptor acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    return acceptor.local_endpoint().port();
}

bool runLoopUntil(net::EventLoop& loop, const std::function<bool()>& done, TimeNs timeoutNs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(timeoutNs);
    while (!done()) {
        if (std::chrono::steady_clock::now() >= deadline) return done();
        loop.runFor(2'000'000);
    }
    return true;
}

void runLoopFor(net::EventLoop& loop, TimeNs durationNs) {
    const auto deadline = std::chrono::steady_clock::now() + std::chrono::nanoseconds(durationNs);
    while (std::chrono::steady_clock::now() < deadline)
        loop.runFor(2'000'000);
}

}  // namespace flowscope::testing
