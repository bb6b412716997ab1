#include "alerts/signal_catalog.h"

#include <array>
#include <utility>

namespace flowscope {
namespace {

constexpr std::array<std::pair<SignalField, std::string_view>, 17> kNames{{
    {SignalField::Mid, "mid"},
    {SignalField::MicroOffset, "micro_offset"},
    {SignalField::QueueImbalance, "queue_imbalance"},
    {SignalField::DepthImbalance, "depth_imbalance"},
    {SignalField::Spread, "spread"},
    {SignalField::CumDelta, "cum_delta"},
    {SignalField::LastOfi, "last_ofi"},
    {SignalField::Ofi, "ofi"},
    {SignalField::Mlofi, "mlofi"},
    {SignalField::BuyVolume, "buy_volume"},
    {SignalField::SellVolume, "sell_volume"},
    {SignalField::TradeImbalance, "trade_imbalance"},
    {SignalField::OfiZ, "ofi_z"},
    {SignalField::MlofiZ, "mlofi_z"},
    {SignalField::DeltaZ, "delta_z"},
    {SignalField::QueueImbalanceZ, "queue_imbalance_z"},
    {SignalField::MicroOffsetZ, "micro_offset_z"},
}};

double lots(Lots v) {
    return static_cast<double>(v);
}

double readWindow(const WindowSignals& w, SignalField field) {
    switch (field) {
        case SignalField::Ofi:
            return lots(w.ofi);
        case SignalField::Mlofi:
            return lots(w.mlofi);
        case SignalField::BuyVolume:
            return lots(w.buyVolume);
        case SignalField::SellVolume:
            return lots(w.sellVolume);
        case SignalField::TradeImbalance:
            return w.tradeImbalance;
        case SignalField::OfiZ:
            return w.ofiZ;
        case SignalField::MlofiZ:
            return w.mlofiZ;
        case SignalField::DeltaZ:
            return w.deltaZ;
        case SignalField::QueueImbalanceZ:
            return w.queueImbalanceZ;
        case SignalField::MicroOffsetZ:
            return w.microOffsetZ;
        default:
            return kUndefined;
    }
}

}  // namespace

bool isWindowed(SignalField field) {
    return field >= SignalField::Ofi;
}

std::string_view signalName(SignalField field) {
    for (const auto& [f, name] : kNames)
        if (f == field) return name;
    return "?";
}

std::optional<SignalField> findSignal(std::string_view name) {
    for (const auto& [f, n] : kNames)
        if (n == name) return f;
    return std::nullopt;
}

std::string knownSignalNames() {
    std::string out;
    for (const auto& [f, name] : kNames) {
        if (!out.empty()) out += ", ";
        out += name;
        if (isWindowed(f)) out += "(W)";
    }
    return out;
}

double readSignal(const SignalSnapshot& s, const SignalRef& ref) {
    switch (ref.field) {
        case SignalField::Mid:
            return s.mid;
        case SignalField::MicroOffset:
            return s.microOffset;
        case SignalField::QueueImbalance:
            return s.queueImbalance;
        case SignalField::DepthImbalance:
            return s.depthImbalance;
        case SignalField::Spread:
            return bothSides(s.bestBid, s.bestAsk) ? lots(s.bestAsk.price - s.bestBid.price)
                                                   : kUndefined;
        case SignalField::CumDelta:
            return lots(s.cumulativeDelta);
        case SignalField::LastOfi:
            return lots(s.lastOfi);
        default:
            return ref.windowIndex < s.windowCount
                       ? readWindow(s.windows[ref.windowIndex], ref.field)
                       : kUndefined;
    }
}

std::string signalText(const SignalRef& ref) {
    std::string out(signalName(ref.field));
    if (isWindowed(ref.field)) out += '(' + ref.window.label() + ')';
    return out;
}

}  // namespace flowscope
