// The LoginGuard factories of login_guard.hpp.
#include "api/login_guard.hpp"

#include <map>
#include <mutex>
#include <utility>
#include <vector>

#include "store/store.hpp"

namespace tagwatch {

LoginGuard make_login_guard(std::shared_ptr<LoginThrottle> throttle) {
    // The time each admitted attempt was recorded at, until its outcome is known: before()
    // and after() of one login run in the same process, possibly beside other logins.
    struct Pending {
        std::mutex mutex;
        std::map<std::pair<std::string, std::string>, std::vector<double>> at;
    };
    auto pending = std::make_shared<Pending>();
    LoginGuard guard;
    guard.before = [throttle, pending](const Request& request, const std::string& username) {
        const LoginAttempt attempt = throttle->admit(username, request.remote_addr());
        if (attempt.retry_after > 0)
            throw HttpError(429,
                            "too many requests: too many failed logins for this user or from this "
                            "address; try again in " +
                                std::to_string(attempt.retry_after) + " seconds",
                            attempt.retry_after);
        std::lock_guard lock(pending->mutex);
        // A check that threw never reports its outcome: its attempt stays counted as a
        // failure, and the list stays small.
        if (pending->at.size() > 1024) pending->at.clear();
        pending->at[{username, request.remote_addr()}].push_back(attempt.at);
    };
    guard.after = [throttle, pending](const Request& request, const std::string& username,
                                      bool success) {
        double at = 0;
        {
            std::lock_guard lock(pending->mutex);
            auto it = pending->at.find({username, request.remote_addr()});
            if (it == pending->at.end()) return;  // not admitted by before()
            at = it->second.back();
            it->second.pop_back();
            if (it->second.empty()) pending->at.erase(it);
        }
        throttle->settle(username, request.remote_addr(), at, success);
    };
    return guard;
}

LoginGuard make_login_throttle(const Config& config) {
    if (config.login_max_failures <= 0) return {};  // login_max_failures = 0 turns throttling off
    ThrottleLimits limits;
    limits.user_failures = config.login_max_failures;
    // Many people can share one address (an office behind NAT); one user name has one owner.
    limits.address_failures = config.login_max_failures * 4;
    limits.window_seconds = config.login_window;
    return make_login_guard(open_database(store_settings(config))->login_throttle(limits));
}

}  // namespace tagwatch
