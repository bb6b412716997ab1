#pragma once

#include <cstddef>
#include <string>

namespace flowscope {

/// A problem with an input file, named precisely enough for the user to fix it.
/// `line` is 1-based; 0 means the file as a whole (missing, unreadable).
struct InputError {
    std::string file;
    std::size_t line = 0;
    std::string message;

    std::string toString() const {
        return line ? file + ":" + std::to_string(line) + ": " + message : file + ": " + message;
    }
};

}  // namespace flowscope
