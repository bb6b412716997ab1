#pragma once
// The test-facing control protocol: one command per line on stdin, one answer line on stdout
// starting with "ok" or "error" (see README.md for the commands).

#include <string>
#include <string_view>

namespace flowscope::exchange {

class Exchange;

class ControlChannel {
  public:
    explicit ControlChannel(Exchange& exchange) : exchange_(exchange) {}

    /// Runs one command and returns its answer line (without the newline). An empty line gets an
    /// empty answer (nothing is printed). Sets `quit` for `quit`.
    std::string execute(std::string_view line, bool& quit);

  private:
    std::string fault(std::string_view args);

    Exchange& exchange_;
};

}  // namespace flowscope::exchange
