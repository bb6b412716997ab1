#pragma once
// One accepted TCP connection: the TLS handshake (or its refusal, `fault refuse-tls`), then HTTP
// requests. REST requests are answered here (keep-alive); an upgrade request hands the TLS stream
// to a WsSession.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/http.hpp>

#include <array>
#include <memory>
#include <optional>

#include "ws_session.h"

namespace flowscope::exchange {

class HttpSession : public std::enable_shared_from_this<HttpSession> {
  public:
    HttpSession(boost::asio::ip::tcp::socket&& socket, boost::asio::ssl::context& tls,
                ConnectionHost& host, std::uint64_t id);
    void run();
    /// Closes the connection (TCP FIN, no TLS close_notify, as a server's keep-alive timeout
    /// does) when it is waiting for its next request, or right after the kept-alive response it
    /// is writing; true when it does either.
    bool closeIfIdle();

  private:
    void refuseHandshake();
    void onHandshake(boost::beast::error_code ec);
    void readRequest();
    void onRead(boost::beast::error_code ec, std::size_t bytes);
    void upgrade();
    void respond(boost::beast::http::response<boost::beast::http::string_body> response);
    void onWrite(bool keepAlive, boost::beast::error_code ec, std::size_t bytes);
    void close();
    /// TCP RST: the connection dies with the request's answer unsent.
    void hangUp();

    TlsStream stream_;
    ConnectionHost& host_;
    std::uint64_t id_;
    boost::beast::flat_buffer buffer_;
    std::optional<boost::beast::http::request_parser<boost::beast::http::string_body>> parser_;
    boost::beast::http::response<boost::beast::http::string_body> response_;
    std::array<char, 2048> clientHello_{};
    bool idle_ = false;  ///< waiting for a request that has not begun to arrive
    /// A kept-alive response is being written: idle as soon as it is out.
    bool writingKeptResponse_ = false;
    bool closeAfterWrite_ = false;  ///< close-idle came while that response was being written
};

}  // namespace flowscope::exchange
