#pragma once
// One WebSocket connection (Binance or Kraken) over TLS: reads client requests and hands them to
// the host, writes what the exchange publishes through a bounded queue. A client that reads too
// slowly overflows the queue and is disconnected with a log line, as a real venue would.
//
// Threading: the exchange's single io thread, like every object here.

#include <boost/beast/core.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/beast/websocket.hpp>

#include <deque>
#include <memory>
#include <string>

#include "connection_host.h"

namespace flowscope::exchange {

using TlsStream = boost::beast::ssl_stream<boost::beast::tcp_stream>;

class WsSession : public std::enable_shared_from_this<WsSession> {
  public:
    static constexpr std::size_t kMaxQueuedMessages = 8192;
    static constexpr std::size_t kMaxQueuedBytes = 32u << 20;
    static constexpr std::size_t kMaxIncomingBytes = 64u << 10;

    WsSession(TlsStream&& stream, ConnectionHost& host, const WsRoute& route, std::uint64_t id);

    /// Completes the upgrade `request` asked for.
    void start(boost::beast::http::request<boost::beast::http::string_body> request);
    /// Queues one text frame. The same buffer goes to many sessions, hence shared.
    void send(std::shared_ptr<const std::string> message);
    void send(std::string message) {
        send(std::make_shared<const std::string>(std::move(message)));
    }
    /// Aborts the TCP connection with a reset (`fault drop`).
    void resetConnection();
    /// Writes what is queued, then a WebSocket close frame (1001 going away), as a server that
    /// shuts down closes its connections; nothing queued after this is sent.
    void closeGracefully();
    /// Restarts writing after a stall.
    void resumeWrites();

    std::uint64_t id() const { return id_; }
    WsVenue venue() const { return venue_; }
    bool isOpen() const { return open_ && !closed_; }
    /// Wall time of the last queued frame, for Kraken's heartbeat "in the absence of other
    /// updates".
    std::int64_t lastSendNs() const { return lastSendNs_; }

    BinanceSubscription binance;
    KrakenSubscription kraken;

  private:
    void onAccept(boost::beast::error_code ec);
    void readNext();
    void onRead(boost::beast::error_code ec, std::size_t bytes);
    void writeNext();
    void onWrite(boost::beast::error_code ec, std::size_t bytes);
    void fail(boost::beast::error_code ec, const char* what);
    /// Forgets the queued frames, except one a write in flight still reads.
    void dropQueue();

    boost::beast::websocket::stream<TlsStream> ws_;
    ConnectionHost& host_;
    WsVenue venue_;
    std::uint64_t id_;
    boost::beast::http::request<boost::beast::http::string_body> request_;
    boost::beast::flat_buffer readBuffer_;
    std::deque<std::shared_ptr<const std::string>> queue_;
    std::size_t queuedBytes_ = 0;
    bool writing_ = false;
    bool open_ = false;
    bool closed_ = false;
    bool closing_ = false;  ///< closeGracefully(): the close frame follows the queue
    std::int64_t lastSendNs_ = 0;
};

}  // namespace flowscope::exchange
