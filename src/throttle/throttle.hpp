// Login throttling (API.md, bootstrap_authentication): too many failed password logins for
// a user name or from an address are refused with 429 for a while, without sleeping in a
// worker. The state lives in <datadir>/throttle.db, shared by every worker and CGI process.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "api/server.hpp"

namespace tagwatch {

// Sliding windows: at most `user_failures` failed logins for one user name, and at most
// `address_failures` from one address, within `window_seconds`. A success clears the
// user name's failures (not the address's: one valid account must not let its holder
// clear the count of an address that guesses other users' passwords). The address limit
// is higher because many people can share one address (an office behind NAT).
struct ThrottleLimits {
    int user_failures = 5;
    int address_failures = 20;
    double window_seconds = 300;
};

// The throttle's file and its two questions. One object per process; every process opens
// the same file, so the state is shared across FastCGI workers and CGI requests. The
// SQLite connection is opened on first use and reopened after a fork (a connection must
// never cross a fork), so it may be built before the FastCGI supervisor forks its workers.
// Errors: StoreBusy when the file stays locked past the busy timeout, std::runtime_error
// when it cannot be opened. A corrupt file is replaced by an empty one (it only holds
// failures of the last few minutes).
class LoginThrottle {
   public:
    LoginThrottle(std::string path, std::string journal_mode, ThrottleLimits limits = {});
    ~LoginThrottle();
    LoginThrottle(const LoginThrottle&) = delete;
    LoginThrottle& operator=(const LoginThrottle&) = delete;

    // Seconds until a login for this user from this address may be tried again (rounded
    // up, at least 1), or nullopt when it may be tried now. Writes nothing.
    std::optional<long> retry_after(std::string_view username, std::string_view address);
    // Records the outcome of a password check: a failure counts against the user name and
    // the address (and old failures are dropped); a success clears the user name's count.
    void record(std::string_view username, std::string_view address, bool success);
    // Clears every failure of a user name (tagwatch-admin does this on `users passwd`).
    void clear_user(std::string_view username);

    const std::string& path() const { return path_; }
    const ThrottleLimits& limits() const { return limits_; }
    // For tests: the clock (Unix seconds).
    void set_clock(std::function<double()> clock);

    struct Impl;  // the connection and clock; opaque outside throttle.cpp

   private:
    std::string path_, journal_mode_;
    ThrottleLimits limits_;
    std::unique_ptr<Impl> impl_;
};

// The key an address is counted under: IPv4 as it is, IPv4-mapped IPv6 as IPv4, other
// IPv6 addresses by their /64 network (one host usually has a whole /64 to pick from),
// anything else (a unix socket's empty REMOTE_ADDR) as given.
std::string throttle_address_key(std::string_view address);

// <datadir>/throttle.db
std::string throttle_path(const std::string& datadir);

// The LoginGuard for Server::set_login_guard: before a password check it refuses with
// HttpError 429 "too many requests: ..." and a Retry-After header when either limit is
// reached (the password is not checked then); after the check it records the outcome.
LoginGuard make_login_guard(std::shared_ptr<LoginThrottle> throttle);

// The server's throttle on <datadir>/throttle.db with the configured journal mode: at most
// login_max_failures per user name and four times as many per address within login_window.
// With login_max_failures = 0 the guard is empty (no throttling).
LoginGuard make_login_throttle(const Config& config);

}  // namespace tagwatch
