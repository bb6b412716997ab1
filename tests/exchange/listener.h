#pragma once
// Accepts TCP connections on 127.0.0.1 and starts an HttpSession for each.

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>

#include <memory>

#include "connection_host.h"

namespace flowscope::exchange {

class Listener : public std::enable_shared_from_this<Listener> {
  public:
    /// Binds 127.0.0.1:`port` (0 = any free port); throws boost::system::system_error on failure.
    Listener(boost::asio::io_context& io, boost::asio::ssl::context& tls, ConnectionHost& host,
             std::uint16_t port);
    std::uint16_t port() const;
    void run() { accept(); }
    void stop();

  private:
    void accept();

    boost::asio::io_context& io_;
    boost::asio::ssl::context& tls_;
    ConnectionHost& host_;
    boost::asio::ip::tcp::acceptor acceptor_;
    std::uint64_t nextId_ = 1;
};

}  // namespace flowscope::exchange
