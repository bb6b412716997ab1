#include "http_session.h"

#include <boost/beast/websocket/rfc6455.hpp>

#include <chrono>
#include <iostream>

namespace flowscope::exchange {

namespace beast = boost::beast;
namespace http = beast::http;
namespace asio = boost::asio;

namespace {
constexpr auto kHandshakeTimeout = std::chrono::seconds(10);
constexpr auto kRequestTimeout = std::chrono::seconds(60);
constexpr std::uint64_t kMaxRequestBody = 64 * 1024;
}  // namespace

HttpSession::HttpSession(asio::ip::tcp::socket&& socket, asio::ssl::context& tls,
                         ConnectionHost& host, std::uint64_t id)
    : stream_(std::move(socket), tls), host_(host), id_(id) {}

void HttpSession::run() {
    host_.onHttpSession(shared_from_this());
    if (host_.takeRefuseTls()) return refuseHandshake();
    beast::get_lowest_layer(stream_).expires_after(kHandshakeTimeout);
    stream_.async_handshake(
        asio::ssl::stream_base::server,
        beast::bind_front_handler(&HttpSession::onHandshake, shared_from_this()));
}

void HttpSession::refuseHandshake() {
    // Wait for the ClientHello so the client is mid-handshake, then reset the connection: to the
    // client the handshake fails, as with a middlebox or an overloaded edge.
    host_.stats().tlsRefused++;
    auto& tcp = beast::get_lowest_layer(stream_);
    tcp.expires_after(std::chrono::seconds(2));
    tcp.async_read_some(asio::buffer(clientHello_),
                        [self = shared_from_this()](beast::error_code, std::size_t) {
                            auto& socket = beast::get_lowest_layer(self->stream_).socket();
                            beast::error_code ignored;
                            socket.set_option(asio::socket_base::linger(true, 0), ignored);
                            socket.close(ignored);
                        });
}

void HttpSession::onHandshake(beast::error_code ec) {
    if (ec) {
        host_.stats().tlsFailed++;
        std::cerr << "connection " << id_ << ": TLS handshake: " << ec.message() << '\n';
        return close();
    }
    host_.stats().tlsHandshakes++;
    readRequest();
}

void HttpSession::readRequest() {
    parser_.emplace();
    parser_->body_limit(kMaxRequestBody);
    beast::get_lowest_layer(stream_).expires_after(kRequestTimeout);
    // Idle until the request's first bytes are in; close-idle only looks at an empty buffer.
    idle_ = buffer_.size() == 0;
    http::async_read(stream_, buffer_, *parser_,
                     beast::bind_front_handler(&HttpSession::onRead, shared_from_this()));
}

void HttpSession::onRead(beast::error_code ec, std::size_t) {
    idle_ = false;
    if (ec == http::error::end_of_stream || ec == asio::ssl::error::stream_truncated ||
        ec == asio::error::eof || ec == asio::error::connection_reset)
        return close();
    if (ec) {
        std::cerr << "connection " << id_ << ": HTTP read: " << ec.message() << '\n';
        return close();
    }
    if (beast::websocket::is_upgrade(parser_->get())) return upgrade();
    host_.stats().restRequests++;
    auto response = host_.handleRest(parser_->get());
    if (host_.takeRestHangup()) {
        host_.stats().restHangups++;
        return hangUp();
    }
    if (host_.takeRestClose()) response.keep_alive(false);
    respond(std::move(response));
}

void HttpSession::upgrade() {
    const auto& request = parser_->get();
    const auto route = host_.routeWebSocket(request.target());
    if (!route) {
        http::response<http::string_body> response{http::status::not_found, request.version()};
        response.set(http::field::content_type, "application/json");
        response.body() = R"({"code":-1,"msg":"Unknown WebSocket path or stream."})";
        response.keep_alive(false);
        return respond(std::move(response));
    }
    // The session takes the TLS stream; this object ends when the handler returns.
    auto session = std::make_shared<WsSession>(std::move(stream_), host_, *route, id_);
    session->start(parser_->release());
}

void HttpSession::respond(http::response<http::string_body> response) {
    response_ = std::move(response);
    response_.set(http::field::server, "flowscope-exchange");
    response_.prepare_payload();
    const bool keepAlive = response_.keep_alive() && parser_->get().keep_alive();
    response_.keep_alive(keepAlive);
    writingKeptResponse_ = keepAlive;
    http::async_write(
        stream_, response_,
        beast::bind_front_handler(&HttpSession::onWrite, shared_from_this(), keepAlive));
}

void HttpSession::onWrite(bool keepAlive, beast::error_code ec, std::size_t) {
    writingKeptResponse_ = false;
    if (ec || closeAfterWrite_) return close();
    if (keepAlive) return readRequest();
    beast::get_lowest_layer(stream_).expires_after(std::chrono::seconds(2));
    stream_.async_shutdown([self = shared_from_this()](beast::error_code) { self->close(); });
}

bool HttpSession::closeIfIdle() {
    if (closeAfterWrite_ || !beast::get_lowest_layer(stream_).socket().is_open()) return false;
    // The client may already hold the whole response while its write's completion is still
    // queued here: to the client that connection is idle, so it closes right after the write.
    if (writingKeptResponse_) {
        closeAfterWrite_ = true;
        return true;
    }
    if (!idle_) return false;
    idle_ = false;
    close();
    return true;
}

void HttpSession::hangUp() {
    auto& socket = beast::get_lowest_layer(stream_).socket();
    beast::error_code ignored;
    socket.set_option(asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
}

void HttpSession::close() {
    beast::error_code ignored;
    beast::get_lowest_layer(stream_).socket().close(ignored);
}

}  // namespace flowscope::exchange
