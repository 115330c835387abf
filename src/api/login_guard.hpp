// The LoginGuard of login throttling: Server calls it around each password check, and it
// asks the store layer's LoginThrottle (store/throttle.hpp) to count the attempt and check
// the limits in one step.
#pragma once

#include <memory>

#include "api/server.hpp"
#include "store/throttle.hpp"

namespace tagwatch {

// Before a password check the attempt is counted, atomically with the check of both limits;
// over a limit the guard refuses with HttpError 429 "too many requests: ..." and a
// Retry-After header (the password is not checked then). After the check a success takes
// the attempt back and clears the user name's failures; a failure stays counted.
LoginGuard make_login_guard(std::shared_ptr<LoginThrottle> throttle);

// The server's throttle on the configured database (<datadir>/throttle.db for the data
// folder): at most login_max_failures per user name and four times as many per address
// within login_window. With login_max_failures = 0 the guard is empty (no throttling).
LoginGuard make_login_throttle(const Config& config);

}  // namespace tagwatch
