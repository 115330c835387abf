// The Server's own work: token authentication, token issuing, and the signing key
// (<datadir>/jwt.key). The route table and the dispatcher are in routes.cpp.
#include "api/server.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <optional>

#include "api/login_guard.hpp"
#include "api/shares.hpp"
#include "auth/credentials.hpp"
#include "auth/keyfile.hpp"
#include "auth/net.hpp"
#include "auth/seed.hpp"
#include "http/log.hpp"
#include "store/store.hpp"
#include "util/clock.hpp"
#include "util/text.hpp"

namespace tagwatch {

namespace {
constexpr int64_t kWebtokenSeconds = 14 * 86400;
constexpr int64_t kApitokenExpires = 32503748400;  // the year 3000, as TimeTagger
}  // namespace

std::optional<double> parse_api_number(std::string_view text, bool allow_sign) {
    size_t i = 0;
    if (allow_sign && i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
    size_t digits = 0;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
    if (i < text.size() && text[i] == '.') {
        ++i;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) ++i, ++digits;
    }
    if (digits == 0) return std::nullopt;
    if (i < text.size() && (text[i] == 'e' || text[i] == 'E')) {
        ++i;
        if (i < text.size() && (text[i] == '+' || text[i] == '-')) ++i;
        size_t exp_digits = 0;
        while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i])))
            ++i, ++exp_digits;
        if (exp_digits == 0) return std::nullopt;
    }
    if (i != text.size()) return std::nullopt;
    double value = std::strtod(std::string(text).c_str(), nullptr);
    if (!std::isfinite(value)) return std::nullopt;
    return value;
}

Server::Server(Config config)
    : config_(std::move(config)), database_(open_database(store_settings(config_))) {
    database_->startup_check();
    refresh_jwt_key(true);
    add_standard_routes();
    add_standard_login_methods();
    // Throttling is on by default for every program on the library; set_login_guard({})
    // turns it off, login_max_failures = 0 too.
    login_guard_ = make_login_throttle(config_);
}

AuthInfo Server::authenticate(Request& request) {
    auto token = request.header("authtoken");
    if (!token || token->empty())
        throw HttpError(401, "unauthorized: Missing jwt 'authtoken' in header.");
    AuthInfo info;
    info.claims = verify_token_cached(*token);
    info.username = info.claims.username;
    if (!valid_username(info.username))
        throw HttpError(401, "unauthorized: the token names an invalid user name");
    double now = now_seconds();
    if (!info.claims.share.empty()) {
        authenticate_share(*database_, info, now);
        request.user = info.username;
        return info;
    }
    info.is_apitoken = static_cast<double>(info.claims.expires) > now + kWebtokenSeconds;
    const char* kind = info.is_apitoken ? "apitoken" : "webtoken";
    // A user whose file is gone (removed by the admin) has no seed left to match; opening
    // the store would make an empty file again for any old token that still polls.
    info.store = database_->user_store(info.username, false);
    if (!info.store)
        throw HttpError(
            401, std::string("unauthorized: The ") + kind + " is revoked (the user has no data)");
    std::string seed = info.store->get_seed(std::string(kind) + "_seed", random_seed);
    // Revocation is reported before expiry, so that clients can tell them apart.
    if (seed != info.claims.seed)
        throw HttpError(
            401, std::string("unauthorized: The ") + kind + " is revoked (seed does not match)");
    if (static_cast<double>(info.claims.expires) < now)
        throw HttpError(401,
                        std::string("unauthorized: The ") + kind + " has expired (after 14 days)");
    // As TimeTagger: with proxy authentication on, a proxy header naming someone else than
    // the token's user refuses the request, whoever sent it (its text, typo included).
    if (config_.proxy_auth_enabled) {
        std::string proxy_user =
            std::string(trim(request.header(config_.proxy_auth_header).value_or("")));
        if (!proxy_user.empty() && proxy_user != info.username)
            throw HttpError(401, "unauthorized: Autheticated user does not match proxy user");
    }
    request.user = info.username;
    return info;
}

// A worker sees the same few tokens over and over (each open client polls every few
// seconds), so a token whose signature checked out once is not checked again in this
// process: the signature of a given text cannot change. Seed and expiry are still checked
// on every request by the caller.
TokenClaims Server::verify_token_cached(const std::string& token) {
    const std::string& key = jwt_key();
    auto it = verified_tokens_.find(token);
    if (it != verified_tokens_.end()) return it->second;
    TokenClaims claims = jwt_verify(token, key);
    if (verified_tokens_.size() >= 256)
        verified_tokens_.clear();  // bounded; refills in a few polls
    verified_tokens_.emplace(token, claims);
    return claims;
}

std::string Server::key_place() const {
    return config_.database.empty() ? " (data folder " + config_.datadir + ")" : " (database)";
}

const std::string& Server::jwt_key() {
    refresh_jwt_key(false);
    if (!jwt_key_problem_.empty()) throw HttpError(503, "service unavailable: " + jwt_key_problem_);
    return jwt_key_;
}

// Removing the key file invalidates every token (docs/webapi.md). A long-running worker
// looks at the file at most once a second (a coarse clock read costs no system call) and
// takes the key that is there now, making a new one when it is gone, as a new process
// would. While the file cannot be used (unreadable, empty, a directory) that is remembered
// until a look finds it usable again: every request that needs the key answers the same
// 503, never one the old key in memory would have signed.
void Server::refresh_jwt_key(bool now) {
    const time_t tick = coarse_monotonic_seconds();
    if (!now && tick == key_checked_at_) return;
    key_checked_at_ = tick;
    try {
        std::string key = load_or_create_jwt_key(*database_, config_.datadir);
        if (!jwt_key_problem_.empty())
            log_message(LogLevel::warning, "the token key can be used again" + key_place());
        jwt_key_problem_.clear();
        if (key != jwt_key_) {
            jwt_key_ = std::move(key);
            verified_tokens_.clear();
        }
    } catch (const HttpError&) {
        // The database cannot be reached just now (PostgreSQL): the key we hold is still
        // the key; the store answers this request's 503, and the next look tries again.
    } catch (const std::exception& e) {
        // Said once when it starts (the first look is run()'s to report).
        if (!now && e.what() != jwt_key_problem_)
            log_message(LogLevel::error, e.what() + key_place());
        jwt_key_problem_ = e.what();
        jwt_key_.clear();
        verified_tokens_.clear();
    }
}

std::string Server::issue_webtoken(const std::string& username, bool reset) {
    const std::string& key = jwt_key();
    auto store = store_for(username);
    std::string seed = reset ? store->reset_seed("webtoken_seed", random_seed)
                             : store->get_seed("webtoken_seed", random_seed);
    auto expires = static_cast<int64_t>(std::floor(now_seconds())) + kWebtokenSeconds;
    return jwt_sign(TokenClaims{username, expires, seed}, key);
}

std::string Server::issue_apitoken(const std::string& username, bool reset) {
    const std::string& key = jwt_key();
    auto store = store_for(username);
    std::string seed = reset ? store->reset_seed("apitoken_seed", random_seed)
                             : store->get_seed("apitoken_seed", random_seed);
    return jwt_sign(TokenClaims{username, kApitokenExpires, seed}, key);
}

std::shared_ptr<UserStore> Server::store_for(const std::string& username) {
    return database_->user_store(username);
}

}  // namespace tagwatch
