// The routing table, the order of checks of API.md (token, path, method, request), and
// token authentication and issuing.
#include "api/server.hpp"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <ctime>
#include <optional>

#include "auth/credentials.hpp"
#include "auth/keyfile.hpp"
#include "auth/net.hpp"
#include "auth/seed.hpp"
#include "api/login_guard.hpp"
#include "api/shares.hpp"
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
    : config_(std::move(config)), database_(open_database({config_.datadir, config_.journal_mode})) {
    jwt_key_ = load_or_create_jwt_key(config_.datadir);
    key_checked_at_ = coarse_monotonic_seconds();
    add_standard_routes();
    add_standard_login_methods();
    // Throttling is on by default for every program on the library; set_login_guard({})
    // turns it off, login_max_failures = 0 too.
    login_guard_ = make_login_throttle(config_);
}

void Server::add_endpoint(const std::string& method, const std::string& name, bool needs_token,
                          Endpoint endpoint) {
    for (auto& route : routes_) {
        if (route.method == method && route.name == name) {
            route.needs_token = needs_token;
            route.endpoint = std::move(endpoint);
            return;
        }
    }
    routes_.push_back(Route{method, name, needs_token, std::move(endpoint)});
}

void Server::add_login_method(const std::string& name, LoginMethod method) {
    login_methods_[name] = std::move(method);
}

Response Server::handle(Request& request) {
    const std::string& prefix = config_.path_prefix;
    const std::string& path = request.path;
    if (path.compare(0, prefix.size(), prefix) != 0) {
        if (path == "/" || path.empty()) {
            Response r = Response::text(307, "redirecting to " + prefix);
            r.headers.emplace_back("Location", config_.app_redirect ? prefix + "app/" : prefix);
            return r;
        }
        throw HttpError(404, "only serving at " + prefix);  // TimeTagger's text
    }
    std::string rest = path.substr(prefix.size());
    if (rest == "status") return Response::text(200, "ok");  // any method, as TimeTagger
    if (rest.compare(0, 7, "api/v2/") == 0) {
        // The endpoint's name is the rest without '/' on either side, as TimeTagger reads
        // it: api/v2/version/, api/v2//version and api/v2/version// are all "version".
        std::string_view name = std::string_view(rest).substr(7);
        while (!name.empty() && name.front() == '/') name.remove_prefix(1);
        while (!name.empty() && name.back() == '/') name.remove_suffix(1);
        return handle_api(request, std::string(name));
    }
    if (rest.empty() && config_.app_redirect) {
        Response r = Response::text(307, "redirecting to " + prefix + "app/");
        r.headers.emplace_back("Location", prefix + "app/");
        return r;
    }
    throw HttpError(404, "not found: " + path);
}

Response Server::handle_api(Request& request, const std::string& name) {
    // The root needs no token for GET; any other method is an unknown path to TimeTagger,
    // so the token comes first and then 404.
    if (name.empty() && request.method != "GET" && request.method != "HEAD") {
        const AuthInfo auth = authenticate(request);
        if (auth.share) return answer_share(request, name, auth);
        throw HttpError(404, "not found: / is not a valid API path");
    }
    if (name.empty()) {
        return Response::text(
            200,
            "tagwatch serves TimeTagger's web API, version 2, under this path.\n"
            "It is described for client writers in docs/webapi.md, and the C++ library the\n"
            "server is built on in docs/libapi.md; both come with the source and the release.\n");
    }
    // Endpoints that need no token are matched before the token is looked at.
    bool known = false;
    std::vector<std::string> methods;
    const Route* match = nullptr;
    for (const auto& route : routes_) {
        if (route.name != name) continue;
        known = true;
        methods.push_back(route.method);
        if (route.method == request.method) match = &route;
    }
    bool open = known && std::all_of(routes_.begin(), routes_.end(), [&](const Route& r) {
                    return r.name != name || !r.needs_token;
                });
    std::optional<AuthInfo> auth;
    if (!open) auth = authenticate(request);
    // A share link's token reads its report and nothing else, whatever the path.
    if (auth && auth->share) return answer_share(request, name, *auth);
    if (!known) throw HttpError(404, "not found: /" + name + " is not a valid API path");
    if (!match) {
        std::string list;
        for (size_t i = 0; i < methods.size(); ++i) {
            if (i > 0) list += i + 1 == methods.size() ? " and " : ", ";
            list += methods[i];
        }
        throw HttpError(405, "method not allowed: /" + name + " can only be used with " + list);
    }
    return match->endpoint(request, auth ? &*auth : nullptr);
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
    refresh_jwt_key();
    auto it = verified_tokens_.find(token);
    if (it != verified_tokens_.end()) return it->second;
    TokenClaims claims = jwt_verify(token, jwt_key_);
    if (verified_tokens_.size() >= 256)
        verified_tokens_.clear();  // bounded; refills in a few polls
    verified_tokens_.emplace(token, claims);
    return claims;
}

// API.md: removing the key file invalidates every token. A long-running worker looks at the
// file at most once a second (a coarse clock read costs no system call) and takes the key
// that is there now, making a new one when it is gone, as a new process would.
void Server::refresh_jwt_key() {
    const time_t tick = coarse_monotonic_seconds();
    if (tick == key_checked_at_) return;
    key_checked_at_ = tick;
    std::string key = load_or_create_jwt_key(config_.datadir);
    if (key != jwt_key_) {
        jwt_key_ = std::move(key);
        verified_tokens_.clear();
    }
}

std::string Server::issue_webtoken(const std::string& username, bool reset) {
    refresh_jwt_key();
    auto store = store_for(username);
    std::string seed = reset ? store->reset_seed("webtoken_seed", random_seed)
                             : store->get_seed("webtoken_seed", random_seed);
    auto expires = static_cast<int64_t>(std::floor(now_seconds())) + kWebtokenSeconds;
    return jwt_sign(TokenClaims{username, expires, seed}, jwt_key_);
}

std::string Server::issue_apitoken(const std::string& username, bool reset) {
    refresh_jwt_key();
    auto store = store_for(username);
    std::string seed = reset ? store->reset_seed("apitoken_seed", random_seed)
                             : store->get_seed("apitoken_seed", random_seed);
    return jwt_sign(TokenClaims{username, kApitokenExpires, seed}, jwt_key_);
}

std::shared_ptr<UserStore> Server::store_for(const std::string& username) {
    return database_->user_store(username);
}

}  // namespace tagwatch
