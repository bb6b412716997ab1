#pragma once
/// One WebSocket client connection over TLS (Boost.Beast + OpenSSL): resolve, TCP connect, TLS
/// handshake with SNI and certificate + host name verification, WebSocket upgrade, then text
/// frames in and out. WebSocket pings are answered and sent by the library; application-level
/// heartbeats and reconnect policy belong to the caller (VenueConnection).
///
/// Threading: every call and every handler on the EventLoop's thread.

#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "book/types.h"
#include "net/event_loop.h"
#include "net/tls_config.h"
#include "net/url.h"

namespace flowscope::net {

class WebSocketConnection {
  public:
    struct Handlers {
        std::function<void()> onOpen;
        /// One complete text (or binary) message; `receiveNs` is the wall clock (epoch ns) when
        /// its last byte was read.
        std::function<void(std::string_view message, TimeNs receiveNs)> onMessage;
        /// The connection failed or closed, with a reason a user can act on ("TLS handshake:
        /// certificate verify failed", "connect: connection refused", "closed by server: 1000").
        /// Called once per open() that does not end in close() by the caller.
        std::function<void(std::string_view reason)> onClose;
    };

    WebSocketConnection(EventLoop& loop, TlsConfig tls, Handlers handlers);
    ~WebSocketConnection();
    WebSocketConnection(const WebSocketConnection&) = delete;
    WebSocketConnection& operator=(const WebSocketConnection&) = delete;

    /// Starts connecting to a wss:// URL; any current connection is dropped first (no onClose).
    void open(const Url& url);
    /// Queues a text frame; frames are written in order. Ignored when not open.
    void send(std::string text);
    /// Closes (WebSocket close frame, then TCP); no onClose follows.
    void close();
    bool isOpen() const;

    /// Largest message accepted (a bigger one fails the connection with a reason).
    void setMaxMessageBytes(std::size_t bytes);

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace flowscope::net
