// The API server: one routing table for TimeTagger's web API v2 under the path prefix,
// token authentication, token issuing, and the login methods of bootstrap_authentication.
// A program on libtagwatch builds a Server from a Config and hands Server::handle to serve().
#pragma once

#include <rapidjson/document.h>

#include <ctime>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <unordered_map>
#include <vector>

#include "auth/jwt.hpp"
#include "config/config.hpp"
#include "http/http.hpp"

namespace tagwatch {

class Database;
class UserStore;
struct RecordFilter;
struct Share;

// Who a request belongs to, after its token was checked.
struct AuthInfo {
    std::string username;
    bool is_apitoken = false;
    TokenClaims claims;
    std::shared_ptr<UserStore> store;  // the user's store, already open
    // Set for a share link's token (api/shares.hpp): it may read only what it shares.
    std::shared_ptr<const Share> share;
};

// A login method of bootstrap_authentication: given the request and the decoded JSON object
// the client sent, returns the user name to issue a webtoken for. Refuses by throwing
// HttpError (403 with a message that says why).
using LoginMethod = std::function<std::string(Request& request, const rapidjson::Value& auth_info)>;

// An endpoint under P + "api/v2/". `auth` is null for endpoints that need no token.
using Endpoint = std::function<Response(Request& request, const AuthInfo* auth)>;

// Called before and after a password check, so that login throttling (or anything else)
// can refuse a login early (by throwing HttpError 429) and learn its outcome.
struct LoginGuard {
    std::function<void(const Request&, const std::string& username)> before;
    std::function<void(const Request&, const std::string& username, bool success)> after;
};

class Server {
public:
    // Reads (or makes) <datadir>/jwt.key. Throws std::runtime_error when it cannot.
    explicit Server(Config config);

    // The whole answer to one request: status, the API root, the API, the redirect of "/".
    // Throws HttpError for errors; handle_safely() in the adapter turns them into answers.
    Response handle(Request& request);

    // Adds (or replaces) a login method of bootstrap_authentication, by the name the client
    // sends as "method". The standard ones are usernamepassword, localhost, proxy, webserver.
    void add_login_method(const std::string& name, LoginMethod method);
    // Adds an endpoint under P + "api/v2/" + name. With needs_token the token is checked
    // first, as for the built-in endpoints.
    void add_endpoint(const std::string& method, const std::string& name, bool needs_token, Endpoint endpoint);
    void set_login_guard(LoginGuard guard) { login_guard_ = std::move(guard); }

    // Checks the authtoken header (signature, claims, seed, expiry, proxy user): 401 otherwise.
    AuthInfo authenticate(Request& request);
    // New tokens for a user; `reset` first makes a new seed, which revokes earlier tokens.
    std::string issue_webtoken(const std::string& username, bool reset = false);
    std::string issue_apitoken(const std::string& username, bool reset = false);
    // The user's store (opened once per process and kept).
    std::shared_ptr<UserStore> store_for(const std::string& username);

    const Config& config() const { return config_; }
    const std::string& jwt_key() const { return jwt_key_; }
    // Where the users' data and the shared state (teams) live.
    const std::shared_ptr<Database>& database() const { return database_; }

private:
    struct Route {
        std::string method;
        std::string name;
        bool needs_token;
        Endpoint endpoint;
    };
    Response handle_api(Request& request, const std::string& name);
    TokenClaims verify_token_cached(const std::string& token);
    void refresh_jwt_key();
    Response bootstrap_authentication(Request& request);
    void add_standard_routes();
    void add_standard_login_methods();

    Config config_;
    std::shared_ptr<Database> database_;  // where the users' data and the shared state live
    std::string jwt_key_;
    std::vector<Route> routes_;
    std::map<std::string, LoginMethod> login_methods_;
    LoginGuard login_guard_;
    std::unordered_map<std::string, TokenClaims> verified_tokens_;
    time_t key_checked_at_ = 0;
};

// The filter of GET records from its query (timerange, running, hidden, tag; docs/webapi.md,
// Queries). Throws HttpError 400 for a missing or bad timerange.
RecordFilter records_query(const Request& request);

// Parses a decimal number as the API accepts it: digits, an optional fraction and exponent,
// optional sign when `allow_sign`; nothing else (no inf, nan, hex, spaces). nullopt otherwise.
std::optional<double> parse_api_number(std::string_view text, bool allow_sign);

}  // namespace tagwatch
