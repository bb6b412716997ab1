#pragma once
/// Where a subcommand's CSV goes: stdout, or a file written under a temporary name and renamed
/// into place only when the command succeeds, so a failed run never leaves a half-written result.

#include <cstdio>
#include <fstream>
#include <iostream>
#include <optional>
#include <string>

namespace flowscope::cli {

class OutputSink {
  public:
    OutputSink(std::ostream& standardOut, std::optional<std::string> path)
        : stdout_(standardOut), path_(std::move(path)) {}
    ~OutputSink() {
        if (path_ && !committed_) std::remove(temporary().c_str());
    }

    /// False if the file cannot be created; `error` says why.
    bool open(std::string& error) {
        if (!path_) return true;
        file_.open(temporary(), std::ios::binary | std::ios::trunc);
        if (!file_) error = *path_ + ": cannot create the output file";
        return static_cast<bool>(file_);
    }
    std::ostream& stream() { return path_ ? static_cast<std::ostream&>(file_) : stdout_; }
    /// Flushes and moves the file into place; false (with `error`) if writing failed.
    bool commit(std::string& error) {
        if (!path_) {
            if (stdout_.flush()) return true;
            error = "standard output: write failed";
            return false;
        }
        file_.close();
        if (!file_ || std::rename(temporary().c_str(), path_->c_str()) != 0) {
            error = *path_ + ": cannot write the output file";
            return false;
        }
        committed_ = true;
        return true;
    }

  private:
    std::string temporary() const { return *path_ + ".partial"; }

    std::ostream& stdout_;
    std::optional<std::string> path_;
    std::ofstream file_;
    bool committed_ = false;
};

}  // namespace flowscope::cli
