// The engine-neutral parts of login throttling (throttle.hpp): the limits' check and the
// subjects failures are counted under.
#include "store/throttle.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <stdexcept>

namespace tagwatch {

namespace {

constexpr size_t kMaxSubjectBytes = 256;

}  // namespace

void check_throttle_limits(const ThrottleLimits& limits) {
    if (limits.user_failures < 1 || limits.address_failures < 1 || !(limits.window_seconds > 0))
        throw std::invalid_argument("login throttle: the limits must be positive");
}

long throttle_wait(
    const ThrottleLimits& limits, const std::string& user, const std::string& addr, double now,
    const std::function<std::optional<double>(const std::string&, int, double)>& newest_blocking) {
    const double since = now - limits.window_seconds;
    std::optional<double> until;
    if (auto t = newest_blocking(user, limits.user_failures, since))
        until = *t + limits.window_seconds;
    if (!addr.empty())
        if (auto t = newest_blocking(addr, limits.address_failures, since))
            until = std::max(until.value_or(0), *t + limits.window_seconds);
    if (!until) return 0;
    return std::max(1L, static_cast<long>(std::ceil(*until - now)));
}

std::string throttle_address_key(std::string_view address) {
    std::string text(address);
    unsigned char bytes[16];
    in_addr v4{};
    if (inet_pton(AF_INET, text.c_str(), &v4) == 1) return text;
    if (inet_pton(AF_INET6, text.c_str(), bytes) != 1) return text;
    static const unsigned char mapped[12] = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff};
    char out[INET6_ADDRSTRLEN];
    if (std::memcmp(bytes, mapped, 12) == 0) {
        inet_ntop(AF_INET, bytes + 12, out, sizeof out);
        return out;
    }
    std::memset(bytes + 8, 0, 8);
    inet_ntop(AF_INET6, bytes, out, sizeof out);
    return std::string(out) + "/64";
}

std::string throttle_user_subject(std::string_view username) {
    return "user:" + std::string(username.substr(0, kMaxSubjectBytes));
}

std::string throttle_address_subject(std::string_view address) {
    if (address.empty()) return "";
    return "addr:" + throttle_address_key(address.substr(0, kMaxSubjectBytes));
}

}  // namespace tagwatch
