// Calendar periods in a named time zone (the IANA names of the system's zoneinfo, as a
// browser's Intl reports them): the start and end of "this week" or "last month" where a
// person lives, daylight saving included. Share links resolve their rolling period with it
// (docs/api.md, "Extensions of ours: shares and teams").
#pragma once

#include <cstdint>
#include <string>
#include <utility>

namespace tagwatch {

// True when `tz` names a zone of the system's zoneinfo ("Europe/Amsterdam", "UTC"):
// letters, digits, '_', '-', '+' and '/' parts, no "..", and a TZif file of that name.
bool known_time_zone(const std::string& tz);

// [start, end) in Unix seconds of the calendar `unit` ("week", "month" or "year") that is
// `offset` units from the one holding `now` (0 this, -1 the last), at local midnight in
// `tz` (a known_time_zone), weeks starting on `week_start` (0 Sunday ... 6 Saturday).
// std::invalid_argument for another unit, an unknown zone or a week_start outside 0-6.
// Not for threads running at once: the process's TZ is switched for the computation.
std::pair<int64_t, int64_t> zoned_period(const std::string& unit, int offset, int64_t now,
                                         const std::string& tz, int week_start);

}  // namespace tagwatch
