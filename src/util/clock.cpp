// Clock reads and the UTC time text; see clock.hpp.
#include "util/clock.hpp"

#include <time.h>

namespace tagwatch {

double now_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_REALTIME, &ts);
    return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

std::time_t coarse_monotonic_seconds() {
    timespec ts{};
    clock_gettime(CLOCK_MONOTONIC_COARSE, &ts);
    return ts.tv_sec;
}

std::string iso_utc(int64_t t) {
    const auto tt = static_cast<std::time_t>(t);
    struct tm tm {};
    if (!gmtime_r(&tt, &tm)) return "";
    // strftime's %Y prints any year; the text form promises four digits.
    if (tm.tm_year < 0 - 1900 || tm.tm_year > 9999 - 1900) return "";
    char buf[32];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
    return buf;
}

}  // namespace tagwatch
