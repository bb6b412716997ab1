#pragma once
// Kraken WebSocket v2's request side: the status message on connect, subscribe / unsubscribe for
// the `book` and `trade` channels (one acknowledgement per symbol), and the application-level
// ping. Message shapes follow docs.kraken.com (websocket-v2: book, trade, ping, heartbeat, status).

#include <string_view>

namespace flowscope::exchange {

class Exchange;
class WsSession;

void sendKrakenWelcome(Exchange& exchange, WsSession& session);
void handleKrakenMessage(Exchange& exchange, WsSession& session, std::string_view text);

}  // namespace flowscope::exchange
