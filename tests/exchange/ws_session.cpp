#include "ws_session.h"

#include <chrono>
#include <iostream>

#include "market.h"

namespace flowscope::exchange {

namespace beast = boost::beast;
namespace websocket = beast::websocket;
namespace http = beast::http;

WsSession::WsSession(TlsStream&& stream, ConnectionHost& host, const WsRoute& route,
                     std::uint64_t id)
    : ws_(std::move(stream)), host_(host), venue_(route.venue), id_(id) {
    binance = route.binance;
}

void WsSession::start(http::request<http::string_body> request) {
    request_ = std::move(request);
    beast::get_lowest_layer(ws_).expires_never();
    // Idle clients get pings (Beast answers theirs); a dead peer is noticed within a minute.
    websocket::stream_base::timeout timeout{};
    timeout.handshake_timeout = std::chrono::seconds(10);
    timeout.idle_timeout = std::chrono::seconds(60);
    timeout.keep_alive_pings = true;
    ws_.set_option(timeout);
    ws_.read_message_max(kMaxIncomingBytes);
    ws_.set_option(websocket::stream_base::decorator([](websocket::response_type& response) {
        response.set(http::field::server, "flowscope-exchange");
    }));
    ws_.async_accept(request_, beast::bind_front_handler(&WsSession::onAccept, shared_from_this()));
}

void WsSession::onAccept(beast::error_code ec) {
    if (ec) return fail(ec, "accept");
    open_ = true;
    host_.stats().wsOpened++;
    host_.onWsOpen(shared_from_this());
    readNext();
    writeNext();
}

void WsSession::readNext() {
    ws_.async_read(readBuffer_, beast::bind_front_handler(&WsSession::onRead, shared_from_this()));
}

void WsSession::onRead(beast::error_code ec, std::size_t bytes) {
    if (ec) return fail(ec, "read");
    host_.stats().messagesReceived++;
    const std::string_view text(static_cast<const char*>(readBuffer_.data().data()), bytes);
    host_.onWsMessage(*this, text);
    readBuffer_.consume(bytes);
    if (!closed_) readNext();
}

void WsSession::send(std::shared_ptr<const std::string> message) {
    if (closed_ || closing_) return;
    if (queue_.size() >= kMaxQueuedMessages ||
        (!queue_.empty() && queuedBytes_ + message->size() > kMaxQueuedBytes)) {
        std::cerr << "session " << id_ << ": send queue overflow (" << queue_.size() << " frames, "
                  << queuedBytes_ << " bytes): disconnecting a slow client\n";
        host_.stats().wsOverflow++;
        resetConnection();
        return;
    }
    queuedBytes_ += message->size();
    queue_.push_back(std::move(message));
    lastSendNs_ = wallNowNs();
    writeNext();
}

void WsSession::writeNext() {
    if (writing_ || !open_ || closed_ || host_.stalled()) return;
    if (queue_.empty()) {
        if (closing_) {
            // The last write of this session: the close frame; the pending read ends with the
            // client's answer (or the close of the socket).
            writing_ = true;
            ws_.async_close(websocket::close_code::going_away, [self = shared_from_this()](
                                                                   beast::error_code ec) {
                self->writing_ = false;
                self->fail(ec ? ec : beast::error_code(websocket::error::closed), "close");
            });
        }
        return;
    }
    writing_ = true;
    ws_.text(true);
    ws_.async_write(boost::asio::buffer(*queue_.front()),
                    beast::bind_front_handler(&WsSession::onWrite, shared_from_this()));
}

void WsSession::onWrite(beast::error_code ec, std::size_t bytes) {
    writing_ = false;
    if (ec) return fail(ec, "write");
    // A write that completed just before a reset or failure: the queue is already dropped.
    if (closed_) return dropQueue();
    host_.stats().messagesSent++;
    host_.stats().bytesSent += bytes;
    queuedBytes_ -= queue_.front()->size();
    queue_.pop_front();
    writeNext();
}

void WsSession::closeGracefully() {
    if (closed_ || closing_) return;
    closing_ = true;
    writeNext();
}

void WsSession::resumeWrites() {
    writeNext();
}

void WsSession::resetConnection() {
    if (closed_) return;
    closed_ = true;
    beast::error_code ignored;
    auto& socket = beast::get_lowest_layer(ws_).socket();
    // SO_LINGER 0: close() sends a TCP reset instead of an orderly shutdown.
    socket.set_option(boost::asio::socket_base::linger(true, 0), ignored);
    socket.close(ignored);
    dropQueue();
}

void WsSession::dropQueue() {
    // The frame being written stays alive until its write completes: the write still reads it.
    const std::size_t keep = writing_ && !queue_.empty() ? 1 : 0;
    queue_.erase(queue_.begin() + static_cast<std::ptrdiff_t>(keep), queue_.end());
    queuedBytes_ = keep ? queue_.front()->size() : 0;
}

void WsSession::fail(beast::error_code ec, const char* what) {
    const bool quiet = closed_ || ec == websocket::error::closed || ec == boost::asio::error::eof ||
                       ec == boost::asio::error::operation_aborted ||
                       ec == boost::asio::error::connection_reset ||
                       ec == boost::asio::ssl::error::stream_truncated;
    if (!quiet) std::cerr << "session " << id_ << ": " << what << ": " << ec.message() << '\n';
    if (!closed_) {
        closed_ = true;
        beast::error_code ignored;
        beast::get_lowest_layer(ws_).socket().close(ignored);
    }
    dropQueue();
}

}  // namespace flowscope::exchange
