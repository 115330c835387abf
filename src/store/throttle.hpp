// Login throttling, engine-neutral (docs/api.md, "Bootstrapping a first webtoken"): too many
// failed password logins for a user name or from an address are refused with 429 for a
// while, without sleeping in a worker. Counting an attempt and checking the limit is one
// atomic step in the shared state, so parallel guesses cannot slip past the limit,
// whatever the number of processes (or hosts) answering them. Database::login_throttle()
// hands out the engine's implementation; the data folder keeps it in <datadir>/throttle.db.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace tagwatch {

// Sliding windows: at most `user_failures` failed logins for one user name, and at most
// `address_failures` from one address, within `window_seconds`. A success clears the user
// name's failures (not the address's: one valid account must not let its holder clear
// the count of an address that guesses other users' passwords). The address limit is
// higher because many people can share one address (an office behind NAT).
struct ThrottleLimits {
    int user_failures = 5;
    int address_failures = 20;
    double window_seconds = 300;
};

// An attempt as admit() answers it.
struct LoginAttempt {
    long retry_after = 0;  // > 0: refused, seconds until a login may be tried (rounded up)
    double at = 0;         // admitted: when it was recorded (to hand to settle())
};

class LoginThrottle {
  public:
    virtual ~LoginThrottle() = default;

    // Before a password check, in one transaction: when the user name or the address has
    // reached its limit within the window, refuses (retry_after > 0, nothing recorded);
    // otherwise records the attempt as a failure of both and admits it. An attempt whose
    // outcome never comes (a crashed worker) thus counts as a failure. An empty address
    // (a FastCGI client without REMOTE_ADDR) counts only against the user name.
    virtual LoginAttempt admit(std::string_view username, std::string_view address) = 0;
    // After the check: a failure keeps the attempt recorded; a success removes it and
    // clears the user name's failures.
    virtual void settle(std::string_view username, std::string_view address, double at,
                        bool success) = 0;
    // Clears every failure of a user name (tagwatch-admin does this on `users passwd`).
    virtual void clear_user(std::string_view username) = 0;

    virtual const ThrottleLimits& limits() const = 0;
    // For tests: the clock (Unix seconds).
    virtual void set_clock(std::function<double()> clock) = 0;
};

// Throws std::invalid_argument unless every limit is positive.
void check_throttle_limits(const ThrottleLimits& limits);

// The rule of admit(), written once for every engine. `newest_blocking(subject, limit, since)`
// answers the newest-but-(limit - 1) failure of `subject` after `since` (the one whose expiry
// lets a login through again), or nothing when fewer than `limit` are in the window. Returns
// the seconds to wait (rounded up, at least 1) when the user name (or the address, unless
// `addr` is empty) has reached its limit at `now`; 0 when the attempt may go on.
long throttle_wait(
    const ThrottleLimits& limits, const std::string& user, const std::string& addr, double now,
    const std::function<std::optional<double>(const std::string&, int, double)>& newest_blocking);

// The key an address is counted under: IPv4 as it is, IPv4-mapped IPv6 as IPv4, other
// IPv6 addresses by their /64 network (one host usually has a whole /64 to pick from),
// anything else (a unix socket's empty REMOTE_ADDR) as given.
std::string throttle_address_key(std::string_view address);

// The subjects failures are counted under: "user:<name>" (cut at 256 bytes: the key
// only needs to tell users apart, and a client must not grow the state with a 64 KiB
// "user name") and "addr:<throttle_address_key>" ("" for an empty address: not counted).
std::string throttle_user_subject(std::string_view username);
std::string throttle_address_subject(std::string_view address);

}  // namespace tagwatch
