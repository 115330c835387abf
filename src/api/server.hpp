// The API server: the route table for TimeTagger's web API v2 under the path prefix (its
// rows in src/api/routes.cpp), token authentication, token issuing, and the login methods
// of bootstrap_authentication.
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

#include "auth/credentials.hpp"
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
    // Opens the database and reads (or makes) <datadir>/jwt.key. A key file that cannot be
    // used does not stop the constructor: every request that needs the key then answers
    // 503 saying why (jwt_key_problem()), and run() refuses to start a FastCGI server.
    explicit Server(Config config);
    Server(const Server&) = delete;  // the routes hold a pointer to their server
    Server& operator=(const Server&) = delete;

    // The whole answer to one request, by the route table of src/api/routes.cpp: the
    // redirect of "/", status, the API root and the API. Throws HttpError for errors; the
    // adapter's guard (serve_request) turns them into answers.
    Response handle(Request& request);

    // Adds (or replaces) a login method of bootstrap_authentication, by the name the client
    // sends as "method". The standard ones are usernamepassword, localhost, proxy, webserver.
    void add_login_method(const std::string& name, LoginMethod method);
    // The login method of that name, or null.
    const LoginMethod* login_method(const std::string& name) const;
    // The login methods a client may try now: the standard ones that the settings turn on
    // (usernamepassword when any credentials exist, localhost when localhost_login is on and
    // proxy authentication off, proxy, webserver), then every one the program added.
    std::vector<std::string> enabled_login_methods() const;
    // Adds an endpoint under P + "api/v2/" + name. With needs_token the token is checked
    // first, as for the built-in endpoints.
    void add_endpoint(const std::string& method, const std::string& name, bool needs_token,
                      Endpoint endpoint);
    void set_login_guard(LoginGuard guard) { login_guard_ = std::move(guard); }

    // Checks the authtoken header (signature, claims, seed, expiry, proxy user): 401 otherwise.
    AuthInfo authenticate(Request& request);
    // New tokens for a user; `reset` first makes a new seed, which revokes earlier tokens.
    std::string issue_webtoken(const std::string& username, bool reset = false);
    std::string issue_apitoken(const std::string& username, bool reset = false);
    // The user's store (opened once per process and kept).
    std::shared_ptr<UserStore> store_for(const std::string& username);
    // Everyone who may log in with a password (load_all_credentials); a credentials file
    // that cannot be read or parsed answers 503 (and the log says where).
    Credentials credentials() const;

    const Config& config() const { return config_; }
    // The key that signs tokens now; throws HttpError 503 while <datadir>/jwt.key cannot be
    // used (unreadable, empty, a directory), so nothing is signed or accepted meanwhile.
    const std::string& jwt_key();
    // Why the key file cannot be used ("the token key jwt.key in the data folder is empty;
    // ..."), or "" when it can, as of the last look at it.
    std::string jwt_key_problem() const { return jwt_key_problem_; }
    // Where the key lives, for the lines that report it: " (data folder DIR)" or " (database)".
    std::string key_place() const;
    // Where the users' data and the shared state (teams) live.
    const std::shared_ptr<Database>& database() const { return database_; }

    // How a route is reached without a token, or not (src/api/routes.cpp).
    enum class Access {
        token,        // the token is checked first (401), then the method (405)
        open,         // no token; another method of the path answers 405, still without one
        open_method,  // no token for this method only; to other methods the path is unknown
                      // (token, then 404), as TimeTagger treats the API root
    };

  private:
    struct Route {
        std::string method;  // "GET", "PUT", ...; "*" for any
        std::string path;    // relative to the prefix ("status", "api/v2/records"), or "/"
        Access access;
        Endpoint endpoint;
    };
    void add_route(std::string method, std::string path, Access access, Endpoint endpoint);
    void add_standard_routes();
    void add_standard_login_methods();
    const std::string* stand_in_hash(const Credentials& credentials, const std::string& username);
    TokenClaims verify_token_cached(const std::string& token);
    void refresh_jwt_key(bool now);

    Config config_;
    std::shared_ptr<Database> database_;  // where the users' data and the shared state live
    std::string jwt_key_;
    std::string jwt_key_problem_;  // non-empty: the 503 text while the key file is unusable
    std::vector<Route> routes_;
    std::map<std::string, LoginMethod> login_methods_;
    std::vector<std::string> added_login_methods_;  // by the program, in the order added
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
