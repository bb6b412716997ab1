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
        /// The connection failed or closed, with a reason a user can act on ("connect to
        /// 127.0.0.1:443: Connection refused", "TLS handshake with localhost: certificate verify
        /// failed (hostname mismatch)", "closed by server (code 1000)", "message too big (over
        /// the 67108864-byte limit)"). Called once per open() that does not end in close() by the
        /// caller (or a new open(), or the destructor), always from the loop, never from inside
        /// open(). isOpen() is already false when it runs; calling open() from it is fine.
        std::function<void(std::string_view reason)> onClose;
    };

    WebSocketConnection(EventLoop& loop, TlsConfig tls, Handlers handlers);
    ~WebSocketConnection();
    WebSocketConnection(const WebSocketConnection&) = delete;
    WebSocketConnection& operator=(const WebSocketConnection&) = delete;

    /// Starts connecting to a wss:// URL; any current connection is dropped first (no onClose).
    /// Connect, TLS handshake and WebSocket upgrade each time out after 10 s.
    void open(const Url& url);
    /// Queues a text frame; frames are written in order. Ignored when not open.
    void send(std::string text);
    /// Closes (WebSocket close frame, then TCP); no onClose follows, nor any onMessage, even when
    /// called from inside onMessage. Safe at any step, and so is the destructor.
    void close();
    bool isOpen() const;

    /// Largest message accepted (a bigger one fails the connection with a reason). Default 16 MiB
    /// (kMaxRecordBytes, what a recording keeps).
    void setMaxMessageBytes(std::size_t bytes);
    /// A connection that receives nothing (not even a pong) for this long is dead: onClose with
    /// "server silent for ...". WebSocket pings go out after half of it without traffic. Default
    /// 30 s; 0 disables both. Applies from the next open().
    void setIdleTimeout(TimeNs idleNs);

  private:
    struct Impl;
    std::shared_ptr<Impl> impl_;
};

}  // namespace flowscope::net
