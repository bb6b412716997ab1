#pragma once
/// One client TCP + TLS connection for HttpsClient: resolve, connect, handshake (chain and host
/// name verified, as every TLS connection here), then open until closed. Private to
/// core/net/*.cpp (it includes Asio's headers).
///
/// While open, one read is always posted on it: a request in flight takes what it yields as the
/// start of its response; with no request on it, anything it yields (a close, a reset, a stray
/// byte) ends the connection, because an HTTP/1.1 server says nothing unasked. So a connection
/// the server closed while idle is known dead before a request is written on it.
///
/// Threading: the EventLoop's thread. Keeps itself alive through its pending handlers.

#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include "book/clock.h"
#include "book/types.h"

namespace flowscope::net {

/// A host as it goes into a Host header or a message: an IPv6 literal in brackets.
std::string bracketed(const std::string& host);

class HttpsConnection : public std::enable_shared_from_this<HttpsConnection> {
  public:
    enum class State : std::uint8_t { Opening, Open, Closed };
    using Ready = std::function<void(const std::string& error)>;
    using ReadDone = std::function<void(const boost::system::error_code& ec)>;
    /// What the owner hears of: a handshake done, and an idle connection that ended on its own
    /// (server close, reset, stray byte, idle timeout).
    struct Events {
        std::function<void()> handshakeDone;
        std::function<void(const HttpsConnection&)> idleEnded;
    };

    HttpsConnection(boost::asio::io_context& io, std::shared_ptr<boost::asio::ssl::context> tls,
                    std::string host, std::uint16_t port, Events events);

    /// Starts resolving, connecting and the handshake.
    void open();
    /// `ready` runs once when the handshake is done (error empty) or failed; replaces any other.
    void whenReady(Ready ready) { ready_ = std::move(ready); }
    /// The next outcome of the posted read goes to `done` instead of ending the connection.
    void onRead(ReadDone done) { readDone_ = std::move(done); }
    void clearHandlers() {
        ready_ = nullptr;
        readDone_ = nullptr;
    }
    /// No request on it: closed after `idleTimeoutNs` (an opening one counts from when it opens).
    void becomeIdle(TimeNs idleTimeoutNs);
    /// A request owns it now: no idle timeout.
    void hold();
    /// A complete response was read: post the read that watches it while idle.
    void resumeWatching() { postRead(); }
    void close();

    bool matches(const std::string& host, std::uint16_t port) const {
        return host == host_ && port == port_;
    }
    /// Fit for a request: not closed, and nothing unread on it.
    bool usable() const { return state_ != State::Closed && buffer_.size() == 0; }
    State state() const { return state_; }
    /// What it is doing while opening ("resolving x", "connecting", "in the TLS handshake").
    const std::string& phase() const { return phase_; }
    const std::string& host() const { return host_; }
    std::uint16_t port() const { return port_; }
    /// Steady clock when the handshake completed; 0 before.
    TimeNs openSteadyNs() const { return openSteadyNs_; }
    boost::asio::ssl::stream<boost::beast::tcp_stream>& stream() { return stream_; }
    boost::beast::flat_buffer& buffer() { return buffer_; }

  private:
    void onResolve(const boost::system::error_code& ec,
                   const boost::asio::ip::tcp::resolver::results_type& endpoints);
    void onConnect(const boost::system::error_code& ec, const boost::asio::ip::tcp::endpoint&);
    void onHandshake(const boost::system::error_code& ec);
    void failOpen(std::string error);
    void postRead();
    void startIdleTimer();
    void endIdle();

    std::string host_;
    std::uint16_t port_;
    Events events_;
    std::shared_ptr<boost::asio::ssl::context> sslContext_;  ///< before stream_: outlives it
    boost::asio::ip::tcp::resolver resolver_;
    boost::asio::ssl::stream<boost::beast::tcp_stream> stream_;
    boost::asio::steady_timer idleTimer_;
    boost::beast::flat_buffer buffer_;
    Ready ready_;
    ReadDone readDone_;
    State state_ = State::Opening;
    std::string phase_ = "before starting";
    TimeNs idleTimeoutNs_ = 0;
    TimeNs openSteadyNs_ = 0;
    bool held_ = false;
};

}  // namespace flowscope::net
