#include "alerts/rule.h"

#include <algorithm>

namespace flowscope {
namespace {

void collect(const Condition& c, std::vector<SignalRef>& out) {
    if (c.kind == Condition::Kind::Compare) {
        if (std::find(out.begin(), out.end(), c.signal) == out.end()) out.push_back(c.signal);
        return;
    }
    for (const Condition& child : c.children)
        collect(child, out);
}

}  // namespace

std::vector<SignalRef> mentionedSignals(const Rule& rule) {
    std::vector<SignalRef> out;
    collect(rule.condition, out);
    return out;
}

std::size_t nodeCount(const Condition& c) {
    std::size_t n = 1;
    for (const Condition& child : c.children)
        n += nodeCount(child);
    return n;
}

}  // namespace flowscope
