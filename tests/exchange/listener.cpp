#include "listener.h"

#include <iostream>

#include "http_session.h"

namespace flowscope::exchange {

namespace asio = boost::asio;
using asio::ip::tcp;

Listener::Listener(asio::io_context& io, asio::ssl::context& tls, ConnectionHost& host,
                   std::uint16_t port)
    : io_(io), tls_(tls), host_(host), acceptor_(io) {
    const tcp::endpoint endpoint(asio::ip::make_address_v4("127.0.0.1"), port);
    acceptor_.open(endpoint.protocol());
    acceptor_.set_option(asio::socket_base::reuse_address(true));
    acceptor_.bind(endpoint);
    acceptor_.listen(asio::socket_base::max_listen_connections);
}

std::uint16_t Listener::port() const {
    return acceptor_.local_endpoint().port();
}

void Listener::stop() {
    boost::system::error_code ignored;
    acceptor_.close(ignored);
}

void Listener::accept() {
    acceptor_.async_accept(
        io_, [self = shared_from_this()](boost::system::error_code ec, tcp::socket socket) {
            if (ec == asio::error::operation_aborted) return;
            if (ec) {
                std::cerr << "accept: " << ec.message() << '\n';
            } else {
                self->host_.stats().accepted++;
                boost::system::error_code ignored;
                socket.set_option(tcp::no_delay(true), ignored);
                std::make_shared<HttpSession>(std::move(socket), self->tls_, self->host_,
                                              self->nextId_++)
                    ->run();
            }
            self->accept();
        });
}

}  // namespace flowscope::exchange
