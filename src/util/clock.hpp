// The clocks tagwatch reads: the wall clock for st, tokens and throttling, a coarse
// monotonic second for "at most once a second" checks, and the one text form of a time
// that logs and the admin command print.
#pragma once

#include <cstdint>
#include <ctime>
#include <string>

namespace tagwatch {

// The wall clock in seconds since the epoch, with fractions (CLOCK_REALTIME).
double now_seconds();

// A monotonic clock in whole seconds that costs no system call (CLOCK_MONOTONIC_COARSE):
// for work done at most once a second, never for a time stored or shown.
std::time_t coarse_monotonic_seconds();

// `t` (Unix seconds) as "YYYY-MM-DDTHH:MM:SSZ" in UTC; "" when the year is out of range.
std::string iso_utc(int64_t t);

}  // namespace tagwatch
