#include "venues/adapter_factory.h"

#include <stdexcept>

#include "io/text_excerpt.h"

#include "venues/binance_adapter.h"
#include "venues/bybit_adapter.h"
#include "venues/coinbase_adapter.h"
#include "venues/contract_size.h"
#include "venues/kraken_adapter.h"
#include "venues/okx_adapter.h"

namespace flowscope::venues {

std::unique_ptr<VenueAdapter> makeAdapter(VenueId venue, const std::string& symbol,
                                          const Instrument& instrument, VenueListener& listener) {
    switch (venue) {
        case VenueId::BinanceSpot:
            return std::make_unique<BinanceAdapter>(BinanceMarket::Spot, symbol, instrument,
                                                    listener);
        case VenueId::BinanceUsdm:
            return std::make_unique<BinanceAdapter>(BinanceMarket::UsdM, symbol, instrument,
                                                    listener);
        case VenueId::Kraken:
            return std::make_unique<KrakenAdapter>(symbol, instrument, listener);
        case VenueId::Okx:
            return std::make_unique<OkxAdapter>(symbol, instrument, listener);
        case VenueId::Coinbase:
            return std::make_unique<CoinbaseAdapter>(symbol, instrument, listener);
        case VenueId::Bybit:
            return std::make_unique<BybitAdapter>(BybitCategory::Spot, symbol, instrument,
                                                  listener);
        case VenueId::BybitLinear:
            return std::make_unique<BybitAdapter>(BybitCategory::Linear, symbol, instrument,
                                                  listener);
        case VenueId::OkxSwap: {
            const auto contract = okxContractValuePow10(symbol);
            if (!contract)
                throw std::invalid_argument("okx-swap: no contract value known for " +
                                            quoteExcerpt(symbol) + " (known: " + okxKnownSwaps() +
                                            ")");
            return std::make_unique<OkxAdapter>(symbol, instrument, listener, *contract);
        }
    }
    return nullptr;
}

}  // namespace flowscope::venues
