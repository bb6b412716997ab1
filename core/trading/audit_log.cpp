#include "trading/audit_log.h"

#include <chrono>
#include <cinttypes>

namespace flowscope::trading {

namespace {

std::string oneLine(std::string text) {
    for (char& c : text)
        if (c == '\t' || c == '\n' || c == '\r') c = ' ';
    return text;
}

}  // namespace

std::string isoTime(TimeNs epochNs) {
    using namespace std::chrono;
    const sys_time<nanoseconds> t{nanoseconds(epochNs)};
    const sys_days day = floor<days>(t);
    const year_month_day ymd{day};
    const hh_mm_ss hms{t - day};
    char buf[48];
    std::snprintf(buf, sizeof buf, "%04d-%02u-%02uT%02d:%02d:%02d.%09" PRId64 "Z",
                  static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                  static_cast<unsigned>(ymd.day()), static_cast<int>(hms.hours().count()),
                  static_cast<int>(hms.minutes().count()), static_cast<int>(hms.seconds().count()),
                  static_cast<std::int64_t>(hms.subseconds().count()));
    return buf;
}

std::string formatAuditLine(const AuditRecord& record) {
    return isoTime(record.timeNs) + '\t' + oneLine(record.action) + '\t' + oneLine(record.params) +
           '\t' + oneLine(record.answer) + '\n';
}

FileAuditLog::FileAuditLog(const std::string& path) : file_(std::fopen(path.c_str(), "a")) {}

FileAuditLog::~FileAuditLog() {
    if (file_) std::fclose(file_);
}

void FileAuditLog::record(const AuditRecord& record) {
    const std::string line = formatAuditLine(record);
    // Flushed per line: an audit trail that loses its last actions in a crash is no trail.
    if (!file_ || std::fwrite(line.data(), 1, line.size(), file_) != line.size() ||
        std::fflush(file_) != 0)
        ++failedWrites_;
}

}  // namespace flowscope::trading
