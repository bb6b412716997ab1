// libFuzzer target for the alert rule parser (core/alerts/rule_parser.h): the text of a rules
// file or of the [alerts] rules= setting, as a user or a file supplies it.
//
// Beyond "no crash, no sanitizer report" (10,000 nested parentheses once overflowed the stack),
// it checks: an error points inside the text; what parses prints back (rule_printer.h) to text
// that parses to equal rules; and the evaluator takes the rules and evaluates them.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "alerts/rule_evaluator.h"
#include "alerts/rule_parser.h"
#include "alerts/rule_printer.h"
#include "signals/imbalance_engine.h"

using namespace flowscope;

namespace {

[[noreturn]] void fail(const char* what) {
    __builtin_trap();
    (void)what;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static const std::vector<WindowSpec> windows = EngineConfig{}.windows;
    const std::string_view text(reinterpret_cast<const char*>(data), size);
    const ParsedRules parsed = parseRules(text, windows);
    if (parsed.rules.size() > kMaxRules) fail("more rules than the cap");
    if (parsed.error) {
        if (parsed.error->line < 1 || parsed.error->column < 1) fail("error outside the text");
        if (parsed.error->message.empty()) fail("error without a message");
    }
    if (parsed.rules.empty()) return 0;
    const ParsedRules again = parseRules(formatRules(parsed.rules), windows);
    if (again.error) fail("printed rules do not parse");
    if (again.rules != parsed.rules) fail("printed rules parse to different rules");
    RuleEvaluator evaluator(parsed.rules);
    SignalSnapshot snapshot;
    for (TimeNs t = 1; t <= 3; ++t)
        (void)evaluator.evaluate(snapshot, t * 1'000'000'000);
    return 0;
}
