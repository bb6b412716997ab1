#pragma once
/// Append-only record of every order action: what was asked, with which parameters, and what
/// the venue (or the risk check) answered. One line per action, flushed as written, so the log
/// survives a crash up to the last action. It never holds credentials: callers pass order
/// parameters only.
///
/// Threading: called on the thread that owns the OrderManager.

#include <cstdio>
#include <string>
#include <vector>

#include "book/types.h"

namespace flowscope::trading {

struct AuditRecord {
    TimeNs timeNs = 0;   ///< wall clock, nanoseconds since the Unix epoch
    std::string action;  ///< "submit", "cancel", "ack", "fill", "reject", "block", ...
    std::string params;  ///< "id=... side=buy type=limit price=60000.0 qty=0.010"
    std::string answer;  ///< the venue's or the risk check's answer; empty if none yet
};

class AuditLog {
  public:
    virtual ~AuditLog() = default;
    virtual void record(const AuditRecord& record) = 0;
};

/// "2026-11-25T01:32:58.123456789Z": UTC, nanoseconds, sortable as text.
std::string isoTime(TimeNs epochNs);

/// The line written for one record: ISO time, action, parameters, answer, tab-separated (tabs
/// and newlines inside the fields become spaces, so one action is always one line).
std::string formatAuditLine(const AuditRecord& record);

/// Appends lines to a file opened in append mode; never truncates or rewrites.
class FileAuditLog final : public AuditLog {
  public:
    explicit FileAuditLog(const std::string& path);
    ~FileAuditLog() override;
    FileAuditLog(const FileAuditLog&) = delete;
    FileAuditLog& operator=(const FileAuditLog&) = delete;

    /// False when the file could not be opened; records are then dropped and counted.
    bool isOpen() const { return file_ != nullptr; }
    std::uint64_t failedWrites() const { return failedWrites_; }
    void record(const AuditRecord& record) override;

  private:
    std::FILE* file_ = nullptr;
    std::uint64_t failedWrites_ = 0;
};

/// Keeps records in memory: for tests and for an on-screen journal.
class MemoryAuditLog final : public AuditLog {
  public:
    void record(const AuditRecord& record) override { records_.push_back(record); }
    const std::vector<AuditRecord>& records() const { return records_; }

  private:
    std::vector<AuditRecord> records_;
};

}  // namespace flowscope::trading
