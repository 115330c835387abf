// Calendar periods in a named time zone (zoned.hpp), on the C library's own zoneinfo
// reader: TZ is set to the zone for the computation and put back after.
#include "util/zoned.hpp"

#include <sys/stat.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <mutex>
#include <optional>
#include <stdexcept>

namespace tagwatch {

namespace {

std::mutex tz_mutex;

std::string zoneinfo_dir() {
    const char* dir = std::getenv("TZDIR");
    return dir && *dir ? dir : "/usr/share/zoneinfo";
}

// Sets TZ to `tz` while it lives, and puts the earlier value back.
class ZoneScope {
  public:
    explicit ZoneScope(const std::string& tz) {
        if (const char* old = std::getenv("TZ")) old_ = old;
        setenv("TZ", tz.c_str(), 1);
        tzset();
    }
    ~ZoneScope() {
        if (old_)
            setenv("TZ", old_->c_str(), 1);
        else
            unsetenv("TZ");
        tzset();
    }
    ZoneScope(const ZoneScope&) = delete;
    ZoneScope& operator=(const ZoneScope&) = delete;

  private:
    std::optional<std::string> old_;
};

}  // namespace

bool known_time_zone(const std::string& tz) {
    if (tz.empty() || tz.size() > 64 || tz.front() == '/' || tz.back() == '/' ||
        tz.find("..") != std::string::npos || tz.find("//") != std::string::npos)
        return false;
    for (const char c : tz) {
        const bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
                        (c >= '0' && c <= '9') || c == '_' || c == '-' || c == '+' || c == '/';
        if (!ok) return false;
    }
    const std::string path = zoneinfo_dir() + "/" + tz;
    struct stat sb {};
    if (stat(path.c_str(), &sb) != 0 || !S_ISREG(sb.st_mode)) return false;
    FILE* f = std::fopen(path.c_str(), "rb");
    if (!f) return false;
    char magic[4] = {};
    const bool tzif = std::fread(magic, 1, 4, f) == 4 && magic[0] == 'T' && magic[1] == 'Z' &&
                      magic[2] == 'i' && magic[3] == 'f';
    std::fclose(f);
    return tzif;
}

std::pair<int64_t, int64_t> zoned_period(const std::string& unit, int offset, int64_t now,
                                         const std::string& tz, int week_start) {
    if (unit != "week" && unit != "month" && unit != "year")
        throw std::invalid_argument("zoned_period: unknown unit " + unit);
    if (week_start < 0 || week_start > 6)
        throw std::invalid_argument("zoned_period: week_start must be 0 to 6");
    if (!known_time_zone(tz)) throw std::invalid_argument("zoned_period: unknown time zone " + tz);

    std::lock_guard lock(tz_mutex);
    ZoneScope scope(tz);
    const time_t t = static_cast<time_t>(now);
    struct tm local {};
    if (!localtime_r(&t, &local)) throw std::invalid_argument("zoned_period: time out of range");
    // The start of the unit holding `now`, `offset` units on: mktime normalises the fields.
    auto start_of = [&](int shift) {
        struct tm s = local;
        s.tm_hour = s.tm_min = s.tm_sec = 0;
        s.tm_isdst = -1;
        if (unit == "week") {
            s.tm_mday -= (s.tm_wday - week_start + 7) % 7;
            s.tm_mday += 7 * shift;
        } else if (unit == "month") {
            s.tm_mday = 1;
            s.tm_mon += shift;
        } else {
            s.tm_mday = 1;
            s.tm_mon = 0;
            s.tm_year += shift;
        }
        return static_cast<int64_t>(mktime(&s));
    };
    return {start_of(offset), start_of(offset + 1)};
}

}  // namespace tagwatch
